// CRC-32C (Castagnoli), the checksum of every journal frame: it catches torn
// and corrupted records, which is all it is for (not an integrity hash).
#pragma once

#include <cstdint>
#include <string_view>

namespace prospect::journal {

// `crc` continues an earlier call over preceding bytes; 0 starts afresh.
std::uint32_t crc32c(std::string_view bytes, std::uint32_t crc = 0) noexcept;

}  // namespace prospect::journal
