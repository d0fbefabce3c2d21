// Retry-After: delay-seconds, IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"),
// RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime
// ("Sun Nov  6 08:49:37 1994"). Names are matched without regard to case: a
// sender that gets the case wrong still means the same instant.
#include "prospect/policy/retry_after.hpp"

#include "prospect/text/ascii.hpp"

#include <algorithm>
#include <array>

namespace prospect::policy {

namespace {

constexpr std::array<std::string_view, 7> short_days{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> long_days{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                    "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// A cursor over the value; every step fails softly so that the grammar reads
// as one chain of conditions.
class cursor {
public:
    explicit cursor(std::string_view s) : s_(s) {}

    bool done() const { return s_.empty(); }
    char peek(std::size_t i = 0) const { return i < s_.size() ? s_[i] : '\0'; }

    bool literal(char c) {
        if (s_.empty() || s_.front() != c) return false;
        s_.remove_prefix(1);
        return true;
    }

    // Exactly `n` digits.
    bool digits(std::size_t n, int& out) {
        if (s_.size() < n) return false;
        int v = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (!is_digit(s_[i])) return false;
            v = v * 10 + (s_[i] - '0');
        }
        s_.remove_prefix(n);
        out = v;
        return true;
    }

    template <std::size_t N>
    bool one_of(const std::array<std::string_view, N>& names, std::size_t len, int& index) {
        if (s_.size() < len) return false;
        for (std::size_t i = 0; i < N; ++i)
            if (names[i].size() == len && text::iequals(s_.substr(0, len), names[i])) {
                s_.remove_prefix(len);
                index = static_cast<int>(i);
                return true;
            }
        return false;
    }

    // A long day name: as long as the letters run.
    bool long_day() {
        std::size_t n = 0;
        while (n < s_.size() && s_[n] != ',') ++n;
        int ignored = 0;
        return one_of(long_days, n, ignored);
    }

    bool gmt() {
        if (s_.size() < 3 || !text::iequals(s_.substr(0, 3), "GMT")) return false;
        s_.remove_prefix(3);
        return true;
    }

    // time-of-day = hour ":" minute ":" second
    bool time_of_day(int& h, int& m, int& s) {
        return digits(2, h) && literal(':') && digits(2, m) && literal(':') && digits(2, s) && h < 24 && m < 60 &&
               s <= 60;  // 60: a leap second
    }

private:
    std::string_view s_;
};

struct date_parts {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

std::optional<std::chrono::sys_seconds> to_time_point(const date_parts& p) {
    using namespace std::chrono;
    const year_month_day ymd{year{p.year}, month{static_cast<unsigned>(p.month + 1)}, day{static_cast<unsigned>(p.day)}};
    if (!ymd.ok()) return std::nullopt;
    return sys_days{ymd} + hours{p.hour} + minutes{p.minute} + seconds{p.second};
}

// IMF-fixdate after "Sun, ": "06 Nov 1994 08:49:37 GMT"
bool imf_fixdate(cursor& c, date_parts& p) {
    return c.digits(2, p.day) && c.literal(' ') && c.one_of(months, 3, p.month) && c.literal(' ') &&
           c.digits(4, p.year) && c.literal(' ') && c.time_of_day(p.hour, p.minute, p.second) && c.literal(' ') &&
           c.gmt() && c.done();
}

// RFC 850 after "Sunday, ": "06-Nov-94 08:49:37 GMT"
bool rfc850_date(cursor& c, date_parts& p) {
    return c.digits(2, p.day) && c.literal('-') && c.one_of(months, 3, p.month) && c.literal('-') &&
           c.digits(2, p.year) && c.literal(' ') && c.time_of_day(p.hour, p.minute, p.second) && c.literal(' ') &&
           c.gmt() && c.done();
}

// asctime after "Sun ": "Nov  6 08:49:37 1994"
bool asctime_date(cursor& c, date_parts& p) {
    if (!(c.one_of(months, 3, p.month) && c.literal(' '))) return false;
    const bool day_ok = c.literal(' ') ? c.digits(1, p.day) : c.digits(2, p.day);
    return day_ok && c.literal(' ') && c.time_of_day(p.hour, p.minute, p.second) && c.literal(' ') &&
           c.digits(4, p.year) && c.done();
}

// RFC 9110 5.6.7: a two-digit year more than 50 years ahead is the most
// recent past year with those digits.
int full_year(int two_digits, std::chrono::system_clock::time_point now) {
    using namespace std::chrono;
    const int this_year = static_cast<int>(year_month_day{floor<days>(now)}.year());
    int y = this_year - this_year % 100 + two_digits;
    if (y > this_year + 50) y -= 100;
    return y;
}

}  // namespace

std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view value,
                                                        std::chrono::system_clock::time_point now) {
    cursor c(trim(value));
    date_parts p;
    int ignored = 0;
    if (c.peek(3) == ',') {
        if (!(c.one_of(short_days, 3, ignored) && c.literal(',') && c.literal(' ') && imf_fixdate(c, p)))
            return std::nullopt;
    } else if (c.peek(3) == ' ') {
        if (!(c.one_of(short_days, 3, ignored) && c.literal(' ') && asctime_date(c, p))) return std::nullopt;
    } else {
        if (!(c.long_day() && c.literal(',') && c.literal(' ') && rfc850_date(c, p))) return std::nullopt;
        p.year = full_year(p.year, now);
    }
    return to_time_point(p);
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
    value = trim(value);
    if (value.empty()) return std::nullopt;
    if (is_digit(value.front())) {
        long long n = 0;
        for (char ch : value) {
            if (!is_digit(ch)) return std::nullopt;
            n = n * 10 + (ch - '0');
            if (n > retry_after_saturation.count()) n = retry_after_saturation.count();
        }
        return std::chrono::seconds(n);
    }
    const auto at = parse_http_date(value, now);
    if (!at) return std::nullopt;
    if (*at <= now) return std::chrono::seconds(0);
    return std::min(retry_after_saturation, std::chrono::ceil<std::chrono::seconds>(*at - now));
}

}  // namespace prospect::policy
