// gateway/api/delivery_service.cc
#include "gateway/api/delivery_service.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gateway/api/status_conversion.h"

namespace gw::api {
namespace {

constexpr char kList[] = "gw.v1.DeliveryService/ListDeliveries";
constexpr char kRetry[] = "gw.v1.DeliveryService/RetryDelivery";
constexpr char kCancel[] = "gw.v1.DeliveryService/CancelDelivery";

bool IsLowerHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// The object id of an audit entry about a delivery; bounded, as the id is
// the caller's until checked.
std::string MessageObject(absl::string_view message_id) {
  return absl::StrCat("message:", message_id.substr(0, 128));
}

}  // namespace

absl::Status CheckMessageId(absl::string_view message_id) {
  if (message_id.empty()) {
    return absl::InvalidArgumentError("message_id: required");
  }
  bool canonical = message_id.size() == 36;
  for (size_t i = 0; canonical && i < message_id.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    canonical =
        dash_position ? message_id[i] == '-' : IsLowerHex(message_id[i]);
  }
  if (!canonical) {
    return absl::InvalidArgumentError(
        "message_id: want a message id as listed by ListDeliveries, a "
        "lowercase UUID (8-4-4-4-12 hex digits)");
  }
  return absl::OkStatus();
}

absl::Status CheckCancelReason(absl::string_view reason) {
  if (absl::StripAsciiWhitespace(reason).empty()) {
    return absl::InvalidArgumentError(
        "reason: required (why the delivery is cancelled, for the audit log "
        "and the originator)");
  }
  if (reason.size() > DeliveryService::kMaxReasonBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("reason: at most ", DeliveryService::kMaxReasonBytes,
                     " bytes, got ", reason.size()));
  }
  for (size_t i = 0; i < reason.size(); ++i) {
    const auto byte = static_cast<unsigned char>(reason[i]);
    // C0 controls and DEL, and the C1 controls U+0080..U+009F (UTF-8
    // 0xC2 0x80..0x9F): they would garble a log line or a terminal.
    const bool c1 = byte == 0xC2 && i + 1 < reason.size() &&
                    static_cast<unsigned char>(reason[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(reason[i + 1]) <= 0x9F;
    if (byte < 0x20 || byte == 0x7F || c1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "reason: control character at byte ", i, "; write one plain line"));
    }
  }
  return absl::OkStatus();
}

gw::v1::DeliveryRecord ToDeliveryRecord(const store::DeliveryRow& row) {
  gw::v1::DeliveryRecord record;
  record.set_alert_id(row.alert_id);
  record.set_case_ref(row.case_ref);
  record.set_origin_agency(row.origin_agency);
  record.set_priority(row.priority);
  *record.mutable_delivery() = row.delivery;
  return record;
}

grpc::ServerUnaryReactor* DeliveryService::ListDeliveries(
    grpc::CallbackServerContext* context,
    const gw::v1::ListDeliveriesRequest* request,
    gw::v1::ListDeliveriesResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto caller = gate_->Admit(*context, kList, reactor);
  if (!caller) return reactor;
  const ingest::AuditFacts facts{AuditActionOf(kList), {}, ""};
  store::DeliveryQuery query;
  absl::Status bad;
  if (request->page_size() < 0) {
    bad = absl::InvalidArgumentError("page_size: must not be negative");
  } else if (request->page_size() > kMaxPageSize) {
    bad = absl::InvalidArgumentError(absl::StrCat(
        "page_size: at most ", kMaxPageSize, ", got ", request->page_size()));
  }
  for (int i = 0; bad.ok() && i < request->states_size(); ++i) {
    const int state = request->states(i);
    if (state == gw::v1::Delivery::STATE_UNSPECIFIED ||
        !gw::v1::Delivery::State_IsValid(state)) {
      bad = absl::InvalidArgumentError(
          absl::StrCat("states[", i, "]: ", state,
                       " is not a delivery state (QUEUED, SENT, ACKNOWLEDGED, "
                       "RETRYING, FAILED or CANCELLED)"));
    }
    query.states.push_back(static_cast<gw::v1::Delivery::State>(state));
  }
  if (!bad.ok()) {
    gate_->Refuse(*caller, facts, std::move(bad), reactor);
    return reactor;
  }
  query.page_size =
      request->page_size() == 0 ? kDefaultPageSize : request->page_size();
  query.page_token = request->page_token();
  query.recipient = request->recipient();
  query.alert_id = request->alert_id();
  absl::StatusOr<store::DeliveryPage> page = store_->ListDeliveries(query);
  if (!page.ok()) {
    gate_->Refuse(*caller, facts, page.status(), reactor);
    return reactor;
  }
  for (const store::DeliveryRow& row : page->deliveries) {
    *response->add_deliveries() = ToDeliveryRecord(row);
  }
  response->set_next_page_token(std::move(page->next_page_token));
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

delivery::DeliveryOperations::Done DeliveryService::Answer(
    const identity::Principal& caller, ingest::AuditFacts facts,
    grpc::ServerUnaryReactor* reactor, gw::v1::DeliveryRecord* response) {
  return [gate = gate_, caller, facts = std::move(facts), reactor,
          response](absl::StatusOr<store::DeliveryRow> row) {
    if (row.ok()) {
      *response = ToDeliveryRecord(*row);
      reactor->Finish(grpc::Status::OK);
      return;
    }
    // The engine audits what it did; what it refused is put on record here.
    gate->Refuse(caller, facts, row.status(), reactor);
  };
}

grpc::ServerUnaryReactor* DeliveryService::RetryDelivery(
    grpc::CallbackServerContext* context,
    const gw::v1::RetryDeliveryRequest* request,
    gw::v1::DeliveryRecord* response) {
  auto* reactor = context->DefaultReactor();
  auto caller = gate_->Admit(*context, kRetry, reactor);
  if (!caller) return reactor;
  ingest::AuditFacts facts{
      AuditActionOf(kRetry), {MessageObject(request->message_id())}, ""};
  if (absl::Status bad = CheckMessageId(request->message_id()); !bad.ok()) {
    gate_->Refuse(*caller, std::move(facts), std::move(bad), reactor);
    return reactor;
  }
  operations_->Retry(*caller, request->message_id(),
                     Answer(*caller, std::move(facts), reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* DeliveryService::CancelDelivery(
    grpc::CallbackServerContext* context,
    const gw::v1::CancelDeliveryRequest* request,
    gw::v1::DeliveryRecord* response) {
  auto* reactor = context->DefaultReactor();
  auto caller = gate_->Admit(*context, kCancel, reactor);
  if (!caller) return reactor;
  ingest::AuditFacts facts{
      AuditActionOf(kCancel), {MessageObject(request->message_id())}, ""};
  absl::Status bad = CheckMessageId(request->message_id());
  if (bad.ok()) bad = CheckCancelReason(request->reason());
  if (!bad.ok()) {
    gate_->Refuse(*caller, std::move(facts), std::move(bad), reactor);
    return reactor;
  }
  operations_->Cancel(*caller, request->message_id(), request->reason(),
                      Answer(*caller, std::move(facts), reactor, response));
  return reactor;
}

}  // namespace gw::api
