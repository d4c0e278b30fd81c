// The check made at every open of an existing store: did RocksDB's recovery
// bring back every write that was acknowledged? A WAL that was truncated,
// damaged or deleted ends short of the ledger; the store then refuses to
// open unless the operator accepts exactly the loss it reported.
#include "rocksdb/db.h"

#include "troupe/messages/errc.hpp"

#include "troupe/storage/job_store.hpp"
#include "troupe/storage/key_schema.hpp"

namespace troupe {

caf::error job_store::check_acknowledged(std::optional<uint64_t> acknowledged) {
  auto recovered = db_->GetLatestSequenceNumber();
  if (!acknowledged || *acknowledged <= recovered)
    return {};
  auto lost = *acknowledged - recovered;
  auto count = std::to_string(lost);
  if (options_.accept_data_loss != lost)
    return corrupt(
        "lost acknowledged writes: they were acknowledged up to operation " +
        std::to_string(*acknowledged) +
        " but its write-ahead log recovers "
        "only up to operation " +
        std::to_string(recovered) + ", so " + count +
        " operations (several per job write) are gone: the log was "
        "truncated, damaged or deleted. Nothing was changed. To open what is "
        "left, accept exactly this loss (troupe serve --accept-data-loss " +
        count + ", or accept_data_loss = " + count + ")");
  // Accepted: what was recovered goes into table files, so the damaged log
  // is retired and no later write can ever sit behind its damage.
  if (auto st = db_->Flush(rocksdb::FlushOptions{}, families_); !st.ok())
    return failure(st, "flushing what was recovered");
  warnings_.push_back(
      "data directory '" + options_.path + "': accepted the loss of " + count +
      " acknowledged operations (the write-ahead log "
      "recovered up to operation " +
      std::to_string(recovered) + " of " + std::to_string(*acknowledged) + ")");
  return ledger_.record(recovered);
}

} // namespace troupe
