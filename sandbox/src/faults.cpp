// Every draw consumes the same number of random numbers whatever its result,
// so request N's fault depends on the seed and N only. The throttle share
// comes after the others, so adding it leaves a seed's drops and 5xx as they were.
#include "prospect/sandbox/faults.hpp"

namespace prospect::sandbox {

std::uint64_t seeded_random::next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

fault_injector::fault_injector(const fault_params& params) noexcept
    : params_(params), latency_random_(params.seed ^ 0x6c8e9cf570932bd5ULL), fault_random_(params.seed) {}

std::chrono::milliseconds fault_injector::next_latency() noexcept {
    auto span = static_cast<std::uint64_t>(params_.latency_max_ms - params_.latency_min_ms);
    std::uint64_t r = latency_random_.next();
    return std::chrono::milliseconds(params_.latency_min_ms + static_cast<int>(span ? r % (span + 1) : 0));
}

fault fault_injector::next_fault() noexcept {
    double u = fault_random_.unit();
    std::uint64_t pick = fault_random_.next();
    if (u < params_.drop_rate) return {fault_kind::drop, 0};
    if (u < params_.drop_rate + params_.fail_rate) {
        static constexpr int statuses[] = {500, 502, 503};
        return {fault_kind::fail, statuses[pick % 3]};
    }
    if (u < params_.drop_rate + params_.fail_rate + params_.throttle_rate) return {fault_kind::throttle, 429};
    return {};
}

}  // namespace prospect::sandbox
