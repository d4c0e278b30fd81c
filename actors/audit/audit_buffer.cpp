// Stamping, cutting and bounding of audit entries before they are written.
#include "troupe/actors/audit/audit_buffer.hpp"

#include <string>

namespace troupe {

void cut_audit_field(std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes)
    return;
  auto keep = max_bytes - 3;
  // Back off continuation bytes (10xxxxxx) so a code point stays whole.
  while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xc0) == 0x80)
    --keep;
  text.resize(keep);
  text += "...";
}

bool audit_buffer::add(audit_entry x, int64_t now_us) {
  if (entries_.size() >= capacity_) {
    ++dropped_;
    return false;
  }
  if (x.at_us <= 0)
    x.at_us = now_us;
  for (auto* field :
       {&x.principal, &x.action, &x.target, &x.outcome, &x.detail})
    cut_audit_field(*field, max_audit_field_bytes);
  // The store refuses an entry without an action; a caller's slip must not
  // cost the rest of the batch.
  if (x.action.empty())
    x.action = "unnamed";
  entries_.push_back(std::move(x));
  return true;
}

std::vector<audit_entry> audit_buffer::take(int64_t now_us) {
  auto out = std::move(entries_);
  entries_.clear();
  if (dropped_ > 0) {
    audit_entry note;
    note.at_us = now_us;
    note.action = "audit.dropped";
    note.outcome = "failed";
    note.detail = std::to_string(dropped_) +
                  " entries were dropped: more arrived than the store took";
    out.push_back(std::move(note));
    dropped_ = 0;
  }
  return out;
}

} // namespace troupe
