// Depth-first ordering of a batch by its in-batch dependencies. Iterative,
// so that a long chain of jobs cannot exhaust the stack.
#include "troupe/actors/scheduler/batch_order.hpp"

#include <string>
#include <unordered_map>
#include <utility>

#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

enum class mark : uint8_t { unvisited, on_path, done };

/// "a -> b -> a" for the path from `start` to the top of `path`, closed by
/// `start` again.
std::string describe_cycle(const std::vector<job_spec>& specs,
                           const std::vector<std::pair<size_t, size_t>>& path,
                           size_t start) {
  std::string text;
  bool inside = false;
  for (const auto& [index, next_dep] : path) {
    inside = inside || index == start;
    if (inside)
      text += specs[index].id + " -> ";
  }
  return text + specs[start].id;
}

} // namespace

caf::expected<std::vector<size_t>>
batch_admission_order(const std::vector<job_spec>& specs) {
  std::unordered_map<std::string, size_t> index_of;
  for (size_t i = 0; i < specs.size(); ++i)
    if (!specs[i].id.empty())
      index_of.emplace(specs[i].id, i);
  std::vector<mark> marks(specs.size(), mark::unvisited);
  std::vector<size_t> order;
  order.reserve(specs.size());
  // (job, next dependency to look at) for every job on the current path.
  std::vector<std::pair<size_t, size_t>> path;
  for (size_t root = 0; root < specs.size(); ++root) {
    if (marks[root] != mark::unvisited)
      continue;
    marks[root] = mark::on_path;
    path.emplace_back(root, 0);
    while (!path.empty()) {
      auto& [index, next_dep] = path.back();
      const auto& deps = specs[index].deps;
      if (next_dep == deps.size()) {
        marks[index] = mark::done;
        order.push_back(index);
        path.pop_back();
        continue;
      }
      auto found = index_of.find(deps[next_dep++]);
      if (found == index_of.end() || marks[found->second] == mark::done)
        continue;
      if (marks[found->second] == mark::on_path)
        return make_error(errc::dependency_cycle,
                          "deps: the batch's dependencies form a cycle: " +
                              describe_cycle(specs, path, found->second));
      marks[found->second] = mark::on_path;
      path.emplace_back(found->second, 0);
    }
  }
  return order;
}

} // namespace troupe
