// The Add Prospect request body, validated strictly: a JSON object with
// exactly the four documented fields, of the documented types, UUIDs and a
// LinkedIn member profile URL. simdjson stays behind the pimpl.
#pragma once

#include "prospect/sandbox/store.hpp"

#include <memory>
#include <string>

namespace prospect::sandbox {

class prospect_body_parser {
public:
    prospect_body_parser();
    ~prospect_body_parser();
    prospect_body_parser(const prospect_body_parser&) = delete;
    prospect_body_parser& operator=(const prospect_body_parser&) = delete;

    // Fills `out` (its strings' capacity reused) and returns an empty string,
    // or returns the 400 message, naming the field at fault. `body` may grow
    // its capacity: simdjson reads a padding past the end.
    std::string parse(std::string& body, add_prospect_body& out);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace prospect::sandbox
