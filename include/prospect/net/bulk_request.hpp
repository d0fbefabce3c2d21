// The bytes of one v2 bulk request (POST {prefix}/client/v2/prospect-list/
// {listId}/add-users-to-list): head and JSON body built URL by URL into
// buffers reused from batch to batch (docs/contract.md, "Bulk endpoint").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "prospect/net/base_url.hpp"

namespace prospect::net {

// The bulk endpoint's path around the list id, appended to the base URL's
// path prefix.
inline constexpr std::string_view bulk_path_head = "/client/v2/prospect-list/";
inline constexpr std::string_view bulk_path_tail = "/add-users-to-list";

struct bulk_request_params {
    // The base URL; its path prefix is kept, the single endpoint's path is not.
    const base_url& url;
    // The X-API-Key value; checked with check_api_key.
    std::string_view api_key;
    // Program version for "User-Agent: prospect-import/<version>".
    std::string_view version;
    // --delete-if-inactive: shouldBeDeletedIfInactive for every batch.
    bool delete_if_inactive = false;
};

// What one batch shares: its rows' (campaign, list, move flag), validated.
struct bulk_fields {
    std::string_view list_id;
    std::string_view campaign_id;
    bool move_own_duplicated = false;
};

class bulk_request_builder {
public:
    // Throws std::invalid_argument for a key or version that cannot be a header value.
    explicit bulk_request_builder(const bulk_request_params& params);

    // Starts a batch, forgetting any unfinished one.
    void begin(const bulk_fields& fields);
    // Adds one normalized URL to userUrls.
    void add_url(std::string_view url);
    // URLs added since begin().
    std::size_t url_count() const noexcept { return urls_; }
    // The whole request; the view stays valid until the next begin().
    // Throws std::logic_error without a URL (the API requires at least one).
    std::string_view finish();

private:
    std::string prefix_;   // the base URL's path prefix
    std::string headers_;  // Host up to the Content-Length name
    bool delete_if_inactive_ = false;
    bool move_ = false;
    std::string list_id_;  // for the request line, written at finish()
    std::string body_;
    std::size_t urls_ = 0;
    std::string out_;
};

}  // namespace prospect::net
