// The bulk request body (docs/contract.md, "Bulk endpoint"; Extrovert's v2
// add-users-to-list), validated strictly: a JSON object with exactly listId,
// campaignId, userUrls, moveOwnDuplicated and shouldBeDeletedIfInactive, of
// the documented types. The URLs are kept as sent: each is judged on its own
// later, and the answer echoes them. simdjson stays behind the pimpl.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace prospect::sandbox {

struct bulk_body {
    std::string list_id;      // lower-case UUID
    std::string campaign_id;  // lower-case UUID
    std::vector<std::string> user_urls;  // as sent, at least one, none empty
    bool move_own_duplicated = false;
    bool delete_if_inactive = false;
};

class bulk_body_parser {
public:
    bulk_body_parser();
    ~bulk_body_parser();
    bulk_body_parser(const bulk_body_parser&) = delete;
    bulk_body_parser& operator=(const bulk_body_parser&) = delete;

    // Fills `out` (its strings' capacity reused) and returns an empty string,
    // or returns the 400 message naming the field at fault. `body` may grow
    // its capacity: simdjson reads a padding past the end.
    std::string parse(std::string& body, bulk_body& out);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace prospect::sandbox
