package gofivetest

import (
	"slices"

	"github.com/gofive-go/gofive/gen"
)

// The documented rules the fake enforces beyond the spec's schemas. Each answers the
// business error the fake uses for one error (badRequest: HTTP 400, code 4001; the docs
// define 4001 as "exactly one error", shared/api-facts/CONVENTIONS.md, envelope
// status.code, but show no error body, so the description is the fake's own). Values the
// docs do not constrain are accepted.

// checkEventType: an event's type is "an eventTypeId from Get Customer Event Types"
// (shared/api-facts/customer.md, Add Customer Event, body field eventType, SEEN), so the fake
// accepts the ids its own Get Customer Event Types answers.
func (s *store) checkEventType(id int64) (response, bool) {
	if slices.ContainsFunc(s.eventTypes, func(t gen.CustomerEventType) bool { return t.EventTypeID == id }) {
		return response{}, true
	}
	return badRequest("eventType %d is not an eventTypeId of Get Customer Event Types", id), false
}

// checkCustomerState: customerState is "1 = Lead, 2 = Prospect, 3 = Customer"
// (shared/api-facts/customer.md, Create or Update customer, body field customerState, SEEN, enum
// from the Get a Customer By CustomerCode page).
func checkCustomerState(state int) (response, bool) {
	if state >= 1 && state <= 3 {
		return response{}, true
	}
	return badRequest("customerState must be 1 (Lead), 2 (Prospect) or 3 (Customer), got %d", state), false
}

// checkCustomerExists: an event, a case or a quotation refers to a customer by its code
// (shared/api-facts/customer.md, Add Customer Event, customerCode required; shared/api-facts/case.md, Add Case,
// customerCode optional "customer code"; shared/api-facts/quotation.md, Create Update Quotation,
// customerCode required), so the code must name a customer the fake has. what names the
// referring object in the message.
func (s *store) checkCustomerExists(what, code string) (response, bool) {
	if s.customers[code] != nil {
		return response{}, true
	}
	return badRequest("%s: customer %s not found", what, code), false
}
