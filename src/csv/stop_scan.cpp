// Which stop mask this CPU runs: AVX2 where __builtin_cpu_supports finds it,
// else SSE2 on x86-64, else portable words (the masks are in stop_masks.hpp).
#include "prospect/csv/stop_scan.hpp"

#include "stop_masks.hpp"

namespace prospect::csv {

scan_kind best_scan_kind() noexcept {
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx2") ? scan_kind::avx2 : scan_kind::sse2;
#else
    return scan_kind::portable;
#endif
}

stop_mask_fn stop_mask_for(scan_kind kind) noexcept {
#if defined(__x86_64__)
    if (kind == scan_kind::avx2 && __builtin_cpu_supports("avx2")) return &masks::avx2;
    if (kind != scan_kind::portable) return &masks::sse2;
#endif
    (void)kind;
    return &masks::portable;
}

std::string_view to_string(scan_kind kind) noexcept {
    switch (kind) {
    case scan_kind::portable: return "portable";
    case scan_kind::sse2: return "sse2";
    case scan_kind::avx2: return "avx2";
    }
    return "portable";
}

}  // namespace prospect::csv
