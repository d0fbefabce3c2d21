// Files for tests: a scratch directory removed at the end of the test, and
// whole-file read and write.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace prospect::test {

class temp_dir {
public:
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::string operator/(std::string_view name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);
// The file's content, or "" when it does not exist (yet).
std::string read_file_or_empty(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, std::string_view content);
// A path under the source tree, e.g. source_path("samples/x.csv").
std::string source_path(std::string_view relative);

}  // namespace prospect::test
