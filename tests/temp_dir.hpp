// A fresh directory under the system's temp directory, removed at the end of
// the test; shared by every test suite.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include <catch2/catch.hpp>

namespace troupe::test {

/// A fresh directory under the system's temp directory, removed at the end.
struct temp_dir {
  std::filesystem::path path;

  explicit temp_dir(const std::string& prefix = "troupe-test") {
    auto pattern =
        (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX"))
            .string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }

  ~temp_dir() {
    std::error_code ignored; // Best effort: a leftover is no test failure.
    std::filesystem::remove_all(path, ignored);
  }

  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

} // namespace troupe::test
