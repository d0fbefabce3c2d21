// UUID syntax check and lower-casing in one pass.
#include "prospect/lead/uuid.hpp"

namespace prospect::lead {

std::optional<uuid> parse_uuid(std::string_view s) noexcept {
    uuid u{};
    if (s.size() != u.text.size()) return std::nullopt;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return std::nullopt;
        } else if (c >= 'A' && c <= 'F') {
            c = static_cast<char>(c - 'A' + 'a');
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return std::nullopt;
        }
        u.text[i] = c;
    }
    return u;
}

}  // namespace prospect::lead
