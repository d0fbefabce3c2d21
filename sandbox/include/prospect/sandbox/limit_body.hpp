// The per-key rate limit as POST /_sandbox/limit takes it and answers it:
// {"rate": R, "burst": B}, for rehearsing a server whose limit changes
// while a client runs.
#pragma once

#include <string>
#include <string_view>

namespace prospect::sandbox {

struct rate_limit {
    double rate = 0;   // requests a second; 0: unlimited
    double burst = 0;  // bucket capacity; 0 when unlimited
};

// The limit in force, for --burst and the endpoint alike: a burst left out
// (or 0) is the rate; a burst is at least 1; unlimited has no burst.
rate_limit with_default_burst(rate_limit limit) noexcept;

// {"rate": R, "burst": B}: rate required, a number >= 0 (0: unlimited);
// burst optional, a number >= 0 (absent or 0: the rate; at least 1); no other
// field. Fills `out` (defaults applied) and returns an empty string, or the
// 400 message naming the field at fault.
std::string parse_limit_body(std::string_view body, rate_limit& out);

// {"rate":R,"burst":B}, appended to `out`.
void append_limit_json(std::string& out, const rate_limit& limit);

}  // namespace prospect::sandbox
