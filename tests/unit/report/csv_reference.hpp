// The CSV report's rules written the plain way, byte by byte, for the tests
// to hold the fast paths (csv_cell, csv_record) against; and random cells
// made of the bytes those rules care about.
#pragma once

#include "prospect/report/row_result.hpp"
#include "prospect/text/utf8.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace prospect::report::test {

// U+FFFD for bad bytes, then quotes when a delimiter, quote or line break is
// in it or it starts like a formula (a ' after the opening quote).
inline std::string reference_cell(std::string_view cell) {
    std::string s;
    for (std::size_t i = 0; i < cell.size();) {
        const std::size_t n = text::utf8_sequence_length(cell.substr(i));
        s += n ? cell.substr(i, n) : std::string_view("\xEF\xBF\xBD");
        i += n ? n : 1;
    }
    const bool formula = !s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos;
    if (!formula && s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = formula ? "\"'" : "\"";
    for (char c : s) {
        out += c;
        if (c == '"') out += '"';
    }
    return out + '"';
}

inline std::string reference_record(const row_result& r) {
    std::string out = std::to_string(r.row);
    for (std::string_view c : {r.profile_url, r.normalized_url, r.campaign_id, r.prospect_list_id})
        out += "," + reference_cell(c);
    out += std::string(",") + std::string(policy::to_string(r.outcome)) + ",";
    if (r.http_status) out += std::to_string(r.http_status);
    out += "," + std::to_string(r.attempts) + "," + reference_cell(r.message) + ",";
    if (r.move_duplicates) out += *r.move_duplicates ? "true" : "false";
    return out + "\n";
}

// Cells of 0 to `max_size` bytes, mostly plain letters, with bytes that
// quote, guard or replace (and pieces of UTF-8 sequences) now and then,
// often at the edges of 16-byte steps.
class random_cells {
public:
    explicit random_cells(std::uint32_t seed) : state_(seed) {}

    std::uint32_t next(std::uint32_t bound) {
        state_ = state_ * 1103515245u + 12345u;
        return (state_ >> 8) % bound;
    }

    std::string cell(std::size_t max_size = 70) {
        static constexpr std::string_view specials[] = {",", "\"", "\r", "\n", "=", "+", "-", "@", "\t",
                                                       std::string_view("\0", 1), "\x7F", "\xC3\xA9", "\xC3",
                                                       "\xA9", "\xE2\x82\xAC", "\xE2\x82", "\xF0\x9F\x98\x80",
                                                       "\xFF", "\x80", "\xED\xA0\x80", "\xC0\xAF", "'", ";"};
        const std::size_t size = next(static_cast<std::uint32_t>(max_size + 1));
        std::string s;
        while (s.size() < size) {
            if (next(6) == 0)
                s += specials[next(std::size(specials))];
            else
                s += static_cast<char>("abcXYZ019./:%_~"[next(15)]);
        }
        return s;
    }

private:
    std::uint32_t state_;
};

}  // namespace prospect::report::test
