// adapters/transport/file_drop.h
//
// FileDropTransport: the Transport (adapters/adapter.h) of store-and-forward
// links whose messages travel as files through two directories (LA-MPS.md
// §2, §3.1, §3.2, §3.6, §7). It moves files and knows no file format: what
// an .ack means and how an INCOMPLETE receipt is made come from the
// partner's FileDropProtocol, and the receipts for inbound messages from
// its AnswerEncoder.
//
// Layout: <link_root>/outbox/ is written by this gateway only, <link_root>/
// inbox/ by the partner only, and this transport never creates, changes or
// deletes anything in inbox/ (§2.1). Both are created (mode 0750) when
// missing. Only names matching <lowercase uuid>.(csv|sig|done|ack) are
// considered (§3.1); *.tmp and everything else are ignored.
//
// Writing (§3.2): each file is written as <name>.tmp (mode 0640), fsynced,
// renamed over <name>, and the directory fsynced; a message's .done is
// always renamed into place after its .csv and .sig. A write error is
// UNAVAILABLE "<path>: <strerror>; check the link directory".
//
// Send(message): message.message_id is <id> (a lowercase UUID), bytes are
// <id>.csv, metadata "sig" / "done" (kSigFile / kDoneFile) are <id>.sig and
// <id>.done; the .done must be the two §3.6 lines for these bytes. Anything
// else answers INVALID_ARGUMENT naming the field, writing nothing (the id
// and metadata on the caller's thread, the digests on the transport's
// thread, which hashes the bytes before writing them). The three files
// are written into outbox/ unless identical ones are already there and were
// written (the .done's mtime) less than redelivery_interval ago, which
// makes a gateway restart that resends its pending deliveries cheap. Then
// the transport watches inbox/<id>.ack (§7.3); whenever it appears or
// changes (mtime, size, inode or content; an .ack already there when the
// Send starts counts as new) it asks FileDropProtocol::InspectAck:
//  * kIgnore: keeps waiting; an unchanged ack is not inspected again; one
//    log line when the ack has stayed invalid for 6 h;
//  * kCorrupt: rewrites the three files at once and keeps waiting;
//  * kFinal: `done` gets PartnerAnswer{OK, bytes = the .ack's bytes}; the
//    codec judges it (ACCEPTED / REJECTED / ACK_DIGEST_MISMATCH).
// Without a final ack the files are rewritten, same bytes, every
// redelivery_interval after they were last written. A Send never ends on a
// timeout: only a final ack, a write error, Stop(), or a later Send of the
// same id (the earlier one then answers UNAVAILABLE "superseded") end it.
//
// Receiving (§7.2 steps 1-4), after StartReceiving: every poll looks at each
// <id>.done in inbox/ that was not yet processed or whose three files
// changed since. The .done must be exactly the two §3.6 lines, and <id>.csv
// and <id>.sig must exist with those SHA-256 values; all three are read in
// full and checked before anything is handed over, so a half-copied file is
// never handed to the gateway.
//  * Complete, id already final (§7.2 step 4): when outbox/<id>.ack exists,
//    FileDropProtocol::InspectOwnAck(id, its bytes, SHA-256 of the .csv)
//    decides first, and an id in a final state is never handed over again:
//     - kSameMessage (exact duplicate): the .ack is written again, same
//       bytes, by the write protocol above, so the transfer carries it
//       again; only for files that changed since this transport last
//       processed them, or, for files it has not seen since it started,
//       that are newer (mtime) than the .ack: a restart rewrites nothing,
//       and an unchanged message is not rewritten at every poll;
//     - kConflict (the .ack answers another .csv digest): the .ack is left
//       unchanged, the files are not handed over, and one log line
//       "conflicting reuse of message id <id>: ... operator attention" is
//       written per version of the files (and again after a restart);
//     - kNone (no final .ack of ours, e.g. a CORRUPT one): as below.
//    In both final cases the files count as processed until they change.
//    A read or write error on the .ack is logged and tried again at the
//    next poll, without handing the message over.
//  * Complete: InboundReceiver::Receive(peer_agency, {message_id = <id>,
//    content_type "text/csv", bytes = the .csv, metadata {"sig", "done"}}),
//    at most one in flight per id. Its answer goes through
//    AnswerEncoder::EncodeAnswer: a value is written to outbox/<id>.ack
//    (replacing any earlier one) and the files count as processed until
//    they change; nullopt (e.g. a message held for an unknown key) or an
//    error writes nothing, and the message is handed over again at a later
//    poll: after one poll interval, then after twice as long each time (at
//    most an hour) while its files stay the same, at once when they change.
//    Such a message has no final .ack of ours yet, and the gateway
//    deduplicates by (sender, message id), so handing it over again is
//    harmless.
//  * Incomplete: checked again at every poll. After incomplete_grace from
//    the first poll that found it incomplete (not restarted by rewrites),
//    outbox/<id>.ack = FileDropProtocol::MakeIncompleteAck(id, the .csv
//    bytes or "", what is wrong); after that a new one only when the files
//    change and are still incomplete. The grace clock is kept in memory: a
//    gateway restart starts it again (the partner's redelivery still gets
//    the message through; only the CORRUPT receipt comes later). An id
//    that already has a final .ack of ours keeps it: no CORRUPT .ack
//    replaces it, and the complete files get the stored .ack again.
//  * A .csv/.sig without a .done is not processed; one log line when that
//    has lasted 7 days (§7.4).
//
// Clean-up (§7.5), of outbox/ only: a message's three files are deleted
// message_retention after its final ack was processed (after a restart, the
// final ack still in inbox/ is found again, and its mtime stands for the
// time it was processed); our .ack files ack_retention after they were last
// written (their mtime), a final one moved to <link_root>/receipts/ and
// deleted there final_state_retention after it was written (until then an
// id answered ACCEPTED or REJECTED stays final, §7.2 step 4); our leftover
// *.tmp files at once (with the link root locked, they can only come from
// an interrupted write).
//
// Time: options.clock gives the time for every rule above (grace,
// redelivery, retention, log-after), compared with file mtimes where the
// rule is about when a file was written; the poll interval itself is real
// time.
//
// One transport per link root: Create takes an exclusive flock(2) on
// outbox/ and fails if another transport (in this or another process) holds
// it; Stop releases it.
//
// Logging: a few operator lines (ids, paths, statuses; never file contents)
// through options.log, by default to stderr.
//
// Threads and callbacks: one background thread does all file I/O, polls,
// and calls `done`, FileDropProtocol, AnswerEncoder and
// InboundReceiver::Receive, never holding a lock. `done` also runs on the
// caller's thread when Send answers at once (invalid message, stopped
// transport). Receive's answer callback may run on any thread, exactly
// once, at any time (even after Stop: then it is dropped and the message is
// handed over again after a restart). Send, StartReceiving and Stop may be
// called concurrently from any thread. Stop() joins the thread, then
// answers every pending Send UNAVAILABLE; it is idempotent, and the
// destructor calls it. Do not call Stop or destroy the transport from a
// callback it runs.
// Ownership: `protocol` and `answers` are not owned and must outlive the
// transport; so must the receiver given to StartReceiving.
#ifndef GW_ADAPTERS_TRANSPORT_FILE_DROP_H_
#define GW_ADAPTERS_TRANSPORT_FILE_DROP_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "adapters/adapter.h"
#include "adapters/transport/file_drop_protocol.h"

namespace gw::adapters {

struct FileDropOptions {
  // Holds outbox/ (written by this gateway) and inbox/ (written by the
  // partner); created with mode 0750 if missing.
  std::string link_root;
  // The partner agency, e.g. "LA-MPS": the sender_agency of every inbound
  // message.
  std::string peer_agency;
  // How often inbox/ is scanned (§2.3: 60 s, configurable 10 s .. 15 min).
  // Create accepts down to kMinPollIntervalForTest so that tests run fast;
  // configuration must enforce kMinPollInterval.
  absl::Duration poll_interval = absl::Seconds(60);
  // Receiver: how long an inbound message may stay incomplete before a
  // CORRUPT receipt (§7.2 step 3).
  absl::Duration incomplete_grace = absl::Hours(6);
  // Sender: rewrite a message's files when no final ack has come this long
  // after they were written (§7.3).
  absl::Duration redelivery_interval = absl::Hours(24);
  // Clean-up (§7.5): our .csv/.sig/.done this long after a final ack, our
  // .ack files this long after they were written.
  absl::Duration message_retention = absl::Hours(24 * 7);
  absl::Duration ack_retention = absl::Hours(24 * 30);
  // Our final .ack files leave outbox/ after ack_retention but are kept in
  // <link_root>/receipts/ this long after they were written, so an id stays
  // in its final state (§7.2: at least 400 days).
  absl::Duration final_state_retention = absl::Hours(24 * 400);
  // The time of the rules above; tests drive it. Called on the transport's
  // thread only.
  std::function<absl::Time()> clock = absl::Now;
  // One operator line, no newline. Empty: written to stderr prefixed with
  // "file_drop[<peer_agency>]: ". Called on the transport's thread only.
  std::function<void(std::string_view line)> log;
};

class FileDropTransport final : public Transport {
 public:
  static constexpr absl::Duration kMinPollInterval = absl::Seconds(10);
  static constexpr absl::Duration kMinPollIntervalForTest =
      absl::Milliseconds(10);
  static constexpr absl::Duration kMaxPollInterval = absl::Minutes(15);

  // Creates outbox/ and inbox/ if missing, locks the link root and starts
  // the background thread (sending only; receiving waits for
  // StartReceiving).
  // Errors: INVALID_ARGUMENT naming the option (empty link_root or
  // peer_agency, poll_interval outside kMinPollIntervalForTest ..
  // kMaxPollInterval, a duration that is not positive, no clock, null
  // protocol or answers); FAILED_PRECONDITION "link_root: ..." when a
  // directory cannot be created or opened, or another transport holds the
  // link root.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<FileDropTransport>>
  Create(FileDropOptions options, const FileDropProtocol* protocol,
         const AnswerEncoder* answers);

  ~FileDropTransport() override;
  FileDropTransport(const FileDropTransport&) = delete;
  FileDropTransport& operator=(const FileDropTransport&) = delete;

  void Send(const PartnerMessage& message, SendDone done) override;

  // Starts handing inbound messages to `receiver` (not owned, outlives the
  // transport). INVALID_ARGUMENT for nullptr; FAILED_PRECONDITION when
  // already receiving or stopped.
  [[nodiscard]] absl::Status StartReceiving(InboundReceiver* receiver) override;

  void Stop() override;

  // Polls completed so far. A test that changes files or the clock and then
  // waits until this has grown by 2 knows a whole poll has seen the change.
  uint64_t CompletedPollsForTest() const;

 private:
  class Engine;
  explicit FileDropTransport(std::unique_ptr<Engine> engine);

  std::unique_ptr<Engine> engine_;
};

}  // namespace gw::adapters

#endif  // GW_ADAPTERS_TRANSPORT_FILE_DROP_H_
