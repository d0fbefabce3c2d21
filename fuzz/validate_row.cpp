// Any bytes as one data row: lines are the url, campaign, list and move
// cells (missing lines are empty cells); the last byte picks the defaults
// (--campaign, --list, --move-duplicates). The validated row is reused across
// inputs, as the importer reuses it across rows. Beyond not crashing: the
// message is valid UTF-8 (it goes into the report) and empty exactly when the
// row is valid, and a valid row carries the canonical URL and lower-case ids.
#include "check.hpp"
#include "prospect/lead/profile_url.hpp"
#include "prospect/lead/validate.hpp"
#include "prospect/text/utf8.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <array>

using namespace prospect;
using fuzz::require;

namespace {

bool is_lower_uuid(std::string_view id) {
    auto parsed = lead::parse_uuid(id);
    return parsed && parsed->view() == id;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider input(data, size);
    const auto settings = input.ConsumeIntegral<std::uint8_t>();  // from the end
    const std::string row = input.ConsumeRemainingBytesAsString();

    std::array<std::string_view, 4> cells{};
    std::string_view rest = row;
    for (std::size_t i = 0; i < cells.size() && !rest.empty(); ++i) {
        std::size_t end = rest.find('\n');
        cells[i] = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    }

    lead::defaults defs;
    if (settings & 1) defs.campaign = lead::parse_uuid("8d256aa6-9b12-49a7-93ee-bf41634b5b60");
    if (settings & 2) defs.list = lead::parse_uuid("CF33282B-b171-4d23-ae02-848499d793e4");
    defs.move = settings & 4;

    static lead::validated_row out;
    lead::validate({cells[0], cells[1], cells[2], cells[3]}, defs, out);
    require(text::is_valid_utf8(out.message), "the message is valid UTF-8");
    if (!out.valid()) return 0;
    static std::string url;
    require(!lead::normalize_profile_url(cells[0], url) && url == out.normalized_url,
            "a valid row carries the normalized URL");
    require(is_lower_uuid(out.campaign_id), "a valid row has a lower-case campaign id");
    require(is_lower_uuid(out.list_id), "a valid row has a lower-case list id");
    return 0;
}
