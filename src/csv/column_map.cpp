// Which column is which field (docs/contract.md "Columns"): --column first, then
// the alias table; several url columns are told apart by what their first
// cells hold, and a campaign or list column must hold UUIDs. The look-ahead
// reads up to look_ahead_records records past the header, then rewinds the
// buffer to replay them: the rows' own path is not touched.
#include "prospect/csv/record_reader.hpp"

#include "wording.hpp"

#define CSV_IO_NO_THREAD
#include <libfccp/csv.h>

#include <algorithm>

namespace prospect::csv {
namespace {

std::string join_aliases(field f) {
    std::string out;
    for (auto alias : header_aliases(f)) {
        if (!out.empty()) out += ", ";
        out += quoted(alias);
    }
    return out;
}

std::string join_header(const std::vector<std::string>& header) {
    std::string out;
    for (const auto& h : header) {
        if (!out.empty()) out += ", ";
        out += quoted(h);
    }
    return out;
}

// A cell shown in a message: long ones are cut (at a UTF-8 boundary).
std::string excerpt(std::string_view cell) {
    if (cell.size() <= 60) return std::string(cell);
    std::size_t cut = 57;
    while (cut > 0 && (static_cast<unsigned char>(cell[cut]) & 0xC0) == 0x80) --cut;
    return std::string(cell.substr(0, cut)) + "...";
}

}  // namespace

struct record_reader::judged_column {
    judged_column(std::size_t c, field judged_as) : column(c), f(judged_as) {}
    std::size_t column = 0;
    field f = field::url;     // url: judged by is_profile_url; campaign, list: by is_uuid
    std::size_t cells = 0;    // non-empty cells seen
    std::size_t hits = 0;     // of which the judge accepted
    std::string example;      // the first cell it refused, and its row
    std::size_t example_row = 0;
};

std::vector<std::size_t> record_reader::map_columns() {
    const std::string& name = params_.display_name;
    field_of_column_.assign(header_.size(), -1);
    std::array<bool, field_count> ignored{};
    auto assign = [&](field f, std::size_t column) {
        column_of_[static_cast<std::size_t>(f)] = static_cast<int>(column);
        field_of_column_[column] = static_cast<signed char>(f);
    };
    auto where = [&](std::size_t column) { return quoted(header_[column]) + " (column " + std::to_string(column + 1) + ")"; };

    for (const auto& [f, wanted] : params_.columns) {
        const auto i = static_cast<std::size_t>(f);
        const std::string option = "--column " + std::string(to_string(f)) + "=" + wanted;
        if (has_column(f) || ignored[i])
            throw input_error(option + ": " + std::string(to_string(f)) + " is mapped twice");
        if (wanted.empty()) {
            ignored[i] = true;
            continue;
        }
        auto it = std::find(header_.begin(), header_.end(), wanted);
        if (it == header_.end()) {
            const std::string key = normalize_header(wanted);
            it = std::find_if(header_.begin(), header_.end(),
                              [&](const std::string& h) { return normalize_header(h) == key; });
        }
        if (it == header_.end())
            throw input_error(option + ": " + name + " has no column " + quoted(wanted) +
                              " (its header: " + join_header(header_) + ")");
        auto column = static_cast<std::size_t>(it - header_.begin());
        if (field_of_column_[column] >= 0)
            throw input_error(option + ": column " + quoted(wanted) + " is already mapped to " +
                              std::string(to_string(static_cast<field>(field_of_column_[column]))));
        assign(f, column);
        by_option_[i] = true;
        notes_[i] = where(column) + ", from " + option;
    }

    std::vector<std::string> keys;
    keys.reserve(header_.size());
    for (const auto& h : header_) keys.push_back(normalize_header(h));
    auto free_match = [&](std::size_t column, std::string_view alias) {
        return field_of_column_[column] < 0 && keys[column] == normalize_header(alias);
    };
    std::vector<std::size_t> url_candidates;
    for (std::size_t i = 0; i < field_count; ++i) {
        const auto f = static_cast<field>(i);
        if (has_column(f)) continue;
        std::optional<std::size_t> found;
        if (f == field::url) {
            // Every url alias is a candidate, in header order; the look-ahead picks one.
            for (std::size_t c = 0; c < header_.size(); ++c)
                for (auto alias : header_aliases(f))
                    if (free_match(c, alias)) {
                        url_candidates.push_back(c);
                        break;
                    }
            if (!url_candidates.empty()) found = url_candidates.front();
        } else {
            for (auto alias : header_aliases(f)) {
                for (std::size_t c = 0; c < header_.size() && !found; ++c)
                    if (free_match(c, alias)) found = c;
                if (found) break;
            }
        }
        const std::string option = "--column " + std::string(to_string(f)) + "=";
        if (ignored[i]) {
            if (found) notes_[i] = "column " + where(*found) + " ignored (" + option + ")";
            if (f == field::url) url_candidates.clear();
            continue;
        }
        if (!found) continue;
        assign(f, *found);
        notes_[i] = where(*found) + ", a recognised header";
    }
    if (!has_column(field::url))
        throw input_error(name + ": no profile URL column; looked for the headers " + join_aliases(field::url) +
                          " (case, spaces, '_' and '-' ignored); its header: " + join_header(header_) +
                          "; name the column with --column url=HEADER");
    return url_candidates;
}

void record_reader::choose_columns(const std::vector<std::size_t>& url_candidates) {
    std::vector<judged_column> judged;
    const bool judge_urls = url_candidates.size() > 1 && params_.is_profile_url;
    if (judge_urls)
        for (auto c : url_candidates) judged.emplace_back(c, field::url);
    if (params_.is_uuid)
        for (field f : {field::campaign, field::list})
            if (has_column(f) && !by_option_[static_cast<std::size_t>(f)])
                judged.emplace_back(static_cast<std::size_t>(column_of_[static_cast<std::size_t>(f)]), f);
    if (!judged.empty()) look_ahead(judged);
    auto where = [&](std::size_t column) { return quoted(header_[column]) + " (column " + std::to_string(column + 1) + ")"; };

    if (url_candidates.size() > 1) {
        // Candidates are in header order: a strict comparison leaves ties to the earlier header.
        std::size_t best = 0;
        if (judge_urls)
            for (std::size_t k = 1; k < url_candidates.size(); ++k)
                if (judged[k].hits > judged[best].hits) best = k;
        const std::size_t column = url_candidates[best];
        field_of_column_[url_candidates.front()] = -1;
        column_of_[static_cast<std::size_t>(field::url)] = static_cast<int>(column);
        field_of_column_[column] = static_cast<signed char>(field::url);

        std::string rivals, counts;
        bool tie = false;
        for (std::size_t k = 0; k < url_candidates.size(); ++k) {
            if (k == best) continue;
            if (!rivals.empty()) rivals += ", ";
            rivals += quoted(header_[url_candidates[k]]);
            if (!judge_urls) continue;
            counts += counts.empty() ? "" : " and ";
            counts += with_commas(judged[k].hits);
            tie = tie || judged[k].hits == judged[best].hits;
        }
        std::string& note = notes_[static_cast<std::size_t>(field::url)];
        note = where(column) + ", chosen over " + rivals + ": ";
        if (!judge_urls)
            note += "the earlier header";
        else
            note += with_commas(judged[best].hits) + " of " + with_commas(judged[best].cells) +
                    " cells are profile URLs against " + counts + (tie ? " (a tie goes to the earlier header)" : "");
    }

    for (const auto& j : judged) {
        if (j.f == field::url || j.cells == 0 || j.hits > 0) continue;
        const std::string f(to_string(j.f));
        throw input_error(params_.display_name + ": the " + f + " column " + where(j.column) + " holds no " + f +
                          " ID: none of its first " + with_commas(j.cells) + " non-empty cells is a UUID (row " +
                          std::to_string(j.example_row) + ": " + quoted(excerpt(j.example)) +
                          "); it seems to hold names. Ignore it with --column " + f + "= (rows then take --" + f +
                          " UUID), or name the right column with --column " + f + "=HEADER");
    }
}

// The records are framed as next() frames them, but their cells are parsed
// from a copy (parsing unescapes in place, and the bytes are framed again
// when replayed), a few judged columns at a time (the cells array has one
// slot per field).
void record_reader::look_ahead(std::vector<judged_column>& judged) {
    const std::size_t saved_rows = rows_;
    pin_ = pos_;
    std::vector<signed char> field_of(header_.size(), -1);
    std::array<std::string_view, field_count> cells;
    std::string line;
    const std::string_view delimiters(&delimiter_, 1);
    frame f;
    try {
        for (std::size_t records = 0; records < params_.look_ahead_records && next_frame(f);) {
            if (is_blank(f, delimiters)) continue;
            ++records;
            if (f.unterminated || f.has_nul || f.total != f.size) continue;
            for (std::size_t group = 0; group < judged.size(); group += field_count) {
                const std::size_t n = std::min(field_count, judged.size() - group);
                for (std::size_t k = 0; k < n; ++k) field_of[judged[group + k].column] = static_cast<signed char>(k);
                const std::span<const cell_bound> bounds = split_cells(f);
                line.assign(buf_.get() + f.begin, f.size);
                line.push_back('\0');
                cells = {};
                const char* why = nullptr;
                int bad = -1;
                try {
                    bad = parse_(line.data(), bounds, field_of, cells, why);
                } catch (const io::error::base&) {
                    bad = 0;
                }
                for (std::size_t k = 0; k < n; ++k) field_of[judged[group + k].column] = -1;
                if (bad >= 0) break;
                for (std::size_t k = 0; k < n; ++k) {
                    judged_column& j = judged[group + k];
                    const std::string_view cell = cells[k];
                    if (cell.empty()) continue;
                    ++j.cells;
                    const bool accepted = j.f == field::url ? params_.is_profile_url(cell) : params_.is_uuid(cell);
                    if (accepted) {
                        ++j.hits;
                    } else if (j.example_row == 0) {
                        j.example.assign(cell);
                        j.example_row = rows_;
                    }
                }
            }
        }
    } catch (const look_ahead_full&) {
        // The budget is spent: judge on the records read so far.
    }
    pos_ = pin_;
    pin_ = npos_pin;
    rows_ = saved_rows;
}

}  // namespace prospect::csv
