// The bulk endpoint's work once a request has passed the key, rate, fault
// and body checks: each URL judged in the order the single endpoint judges
// its one (URL validation, then foreign prospects, the plan's URL limit and
// the store's duplicate rules), and the 200 answer's data. No clock and no
// I/O but --store's file.
#pragma once

#include "prospect/sandbox/bulk_body.hpp"
#include "prospect/sandbox/foreign_prospects.hpp"
#include "prospect/sandbox/store.hpp"
#include "prospect/sandbox/store_log.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace prospect::sandbox {

// The {listId} segment of /client/v2/prospect-list/{listId}/add-users-to-list
// (not yet checked as a UUID), or nullopt for any other path.
std::optional<std::string_view> bulk_path_list_id(std::string_view path) noexcept;

struct bulk_params {
    std::optional<std::uint64_t> url_limit;  // per API key; empty: unlimited
    bool echo_variant = false;               // echo valid URLs as http://linkedin.com/in/<slug>/
};

// Where each URL of a request went, as the answer echoes it. A URL already
// in the request's list is in none of them.
struct bulk_result {
    std::vector<std::string> submitted;            // added, or moved from another list
    std::vector<std::string> validation_rejected;  // not a member profile URL (as sent)
    std::vector<std::string> out_of_limit;         // new, but the plan's URL limit is reached
    // Campaign holding it -> URLs in another list (not moved) or foreign; in first-seen order.
    std::vector<std::pair<std::string, std::vector<std::string>>> existed;
};

class bulk_adder {
public:
    // Keeps references: the store, the log (null without --store) and the
    // foreign prospects must outlive it.
    bulk_adder(store& prospects, store_log* log, const foreign_prospects& foreign, const bulk_params& params);

    // Applies `body` for API key `key`, URL by URL in the order sent. Throws
    // std::runtime_error when --store's write fails (the request is then
    // answered 500: the store may hold some of its URLs already, which a
    // client's re-send finds in the same list).
    const bulk_result& add(std::size_t key, const bulk_body& body);

    // Replaces `out` with the 200 answer to the last add():
    // {"status":"success","data":{"listId":..,"submittedUrls":[..],
    // "validationRejectedUrls":[..],"existedUrlsMap":{..},"outOfLimitUrls":[..],
    // "totalUrlsLimit":N,"perMonthUrlsLimit":N},"message":"Operation completed successfully"}
    // (the limits are 0 when there is none).
    void write_answer(std::string& out, std::string_view list_id) const;

private:
    std::string echo(std::string_view as_sent) const;
    void existed_in(std::string_view campaign, std::string url);

    store& store_;
    store_log* log_;
    const foreign_prospects& foreign_;
    bulk_params params_;
    bulk_result result_;
    add_prospect_body one_;
};

}  // namespace prospect::sandbox
