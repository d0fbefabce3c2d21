// Any bytes as a CSV file through the record reader, as the importer reads
// one: header, delimiter detection, column mapping, every record. The
// input's last byte picks the settings (so that seeds stay plain CSV files
// that lose only their final byte): the delimiter or detection, the read
// chunk size (chunk boundaries everywhere), a small record limit, --column.
#include "check.hpp"
#include "prospect/csv/record_reader.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <array>

using namespace prospect;
using fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider input(data, size);
    const auto settings = input.ConsumeIntegral<std::uint8_t>();  // from the end
    const std::string csv = input.ConsumeRemainingBytesAsString();

    static constexpr std::array<std::size_t, 16> chunks{1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 31, 64, 100, 256, 4096, 1 << 18};
    static constexpr std::array<char, 3> delimiters{',', ';', '\t'};
    csv::reader_params params;
    params.display_name = "fuzz.csv";
    params.read_chunk_bytes = chunks[settings & 0x0F];
    if (auto d = (settings >> 4) & 3) params.delimiter = delimiters[d - 1];
    if (settings & 0x40) params.columns = {{csv::field::url, "u"}, {csv::field::move, "m"}};
    if (settings & 0x80) params.max_record_bytes = 32;

    std::uint64_t observed = 0;
    try {
        auto reader = csv::record_reader::from_string(csv, params);
        reader.set_observer([&](std::string_view chunk) { observed += chunk.size(); });
        require(reader.has_column(csv::field::url), "a reader without a url column was made");
        for (auto& cell : reader.header()) csv::normalize_header(cell);
        csv::record r;
        std::size_t last_row = reader.header_row();
        while (reader.next(r)) {
            require(r.row > last_row, "row numbers go up");
            require(r.row <= reader.rows(), "a row number is within the rows seen");
            last_row = r.row;
            if (!r.error.empty())
                for (auto cell : r.cells) require(cell.empty(), "an error record has no cells");
        }
        require(reader.bytes_read() == csv.size(), "the reader read the whole input");
        // Decoded input (UTF-16 by its BOM) reaches the observer as UTF-8.
        if (reader.input_encoding() == csv::encoding::utf8) require(observed == csv.size(), "the observer saw every byte");
    } catch (const csv::input_error&) {
        // A whole-file error (no header, no url column, a workbook, UTF-16...): a clean refusal.
    }
    return 0;
}
