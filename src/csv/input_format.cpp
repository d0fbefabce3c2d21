// What the input is before it is CSV: its encoding (a BOM, --encoding) and
// the files that are not text at all. Only signatures are trusted here: a
// file in an 8-bit encoding cannot be told from UTF-8 by its first bytes, its
// bad bytes show in the cells that hold them (and in row_source's warning).
#include "prospect/csv/record_reader.hpp"

#include "source.hpp"

#include <array>

namespace prospect::csv {
namespace {

struct encoding_name {
    std::string_view name;
    encoding e;
};
constexpr std::array<encoding_name, 9> encoding_names{{{"utf-8", encoding::utf8},
                                                       {"utf8", encoding::utf8},
                                                       {"utf-16", encoding::utf16},
                                                       {"utf16", encoding::utf16},
                                                       {"windows-1252", encoding::windows_1252},
                                                       {"cp1252", encoding::windows_1252},
                                                       {"latin1", encoding::latin1},
                                                       {"latin-1", encoding::latin1},
                                                       {"iso-8859-1", encoding::latin1}}};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::optional<encoding> encoding_from_string(std::string_view name) {
    std::string key;
    for (char c : name) key.push_back(lower(c));
    for (const auto& n : encoding_names)
        if (n.name == key) return n.e;
    return std::nullopt;
}

std::string_view to_string(encoding e) {
    switch (e) {
    case encoding::utf8: return "utf-8";
    case encoding::utf16: return "utf-16";
    case encoding::windows_1252: return "windows-1252";
    case encoding::latin1: return "latin1";
    }
    return "utf-8";
}

std::uint64_t record_reader::bytes_read() const { return source_->consumed(); }
std::uint64_t record_reader::bytes_consumed() const {
    const std::uint64_t buffered = end_ - pos_;
    const std::uint64_t read = bytes_read();
    return read > buffered ? read - buffered : 0;
}
std::optional<std::uint64_t> record_reader::input_size() const { return source_->size(); }
bool record_reader::input_is_regular_file() const { return source_->regular_file(); }

// A BOM says what the file is and wins over --encoding (a cron job's
// --encoding windows-1252 keeps working the day the export comes as UTF-8).
// Anything but UTF-8 is decoded as it is read, from the bytes already here on.
void record_reader::choose_encoding() {
    const std::string& name = params_.display_name;
    fill(4);
    const auto* u = reinterpret_cast<const unsigned char*>(buf_.get());
    auto starts = [&](std::string_view signature) {
        return end_ >= signature.size() && std::string_view(buf_.get(), signature.size()) == signature;
    };
    if (starts("\x1F\x8B"))
        throw input_error(name + " is gzip-compressed, not CSV: decompress it first (gunzip), or pipe it: zcat " +
                          name + " | prospect-import [OPTIONS] -");
    if (starts("PK\x03\x04"))
        throw input_error(name + " is a ZIP archive (an Excel .xlsx workbook?), not CSV: save it as CSV UTF-8");
    if (starts("\xD0\xCF\x11\xE0"))
        throw input_error(name + " is an Office document (an Excel .xls workbook?), not CSV: save it as CSV UTF-8");
    if (starts(std::string_view("\xFF\xFE\0\0", 4)) || starts(std::string_view("\0\0\xFE\xFF", 4)))
        throw input_error(name + " is UTF-32 encoded: save it as CSV UTF-8");

    const bool le_bom = starts("\xFF\xFE"), be_bom = starts("\xFE\xFF"), utf8_bom = starts("\xEF\xBB\xBF");
    // ASCII text in UTF-16 without a BOM: every other byte is zero.
    const bool zeros_odd = end_ >= 4 && u[0] && !u[1] && u[2] && !u[3];
    const bool zeros_even = end_ >= 4 && !u[0] && u[1] && !u[2] && u[3];
    encoding_chosen_ = le_bom || be_bom || utf8_bom || params_.encoding.has_value();
    encoding_ = le_bom || be_bom ? encoding::utf16 : utf8_bom ? encoding::utf8 : params_.encoding.value_or(encoding::utf8);
    if (encoding_ == encoding::utf8) {
        if (zeros_odd || zeros_even)
            throw input_error(name + " looks UTF-16 encoded (every other byte is zero): save it as CSV UTF-8, or "
                                     "give --encoding utf-16");
        return;
    }
    const char* charset = "ISO-8859-1";
    std::size_t unit = 1;
    if (encoding_ == encoding::utf16) {
        charset = be_bom || (!le_bom && zeros_even) ? "UTF-16BE" : "UTF-16LE";
        unit = 2;
    } else if (encoding_ == encoding::windows_1252) {
        charset = "CP1252";
    }
    source_ = make_decoding_source(std::move(source_), std::string(buf_.get(), end_), charset, unit, name);
    pos_ = end_ = 0;
    eof_ = false;
    std::string().swap(prelude_);
}

}  // namespace prospect::csv
