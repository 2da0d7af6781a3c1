package gofivetest

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"

	"github.com/gofive-go/gofive/api/wire"
	"github.com/gofive-go/gofive/gen"
)

type customerRec struct {
	id  int64
	c   gen.Customer
	req gen.CustomerRequest // the last request, for Server.CustomerRequest
}

// customField is the element type of gen.Customer.CustomFields (an inline schema).
type customField = struct {
	CustomFieldName  string   `json:"customFieldName,omitempty,omitzero"`
	CustomFieldValue []string `json:"customFieldValue,omitempty,omitzero"`
}

type eventRec struct {
	ev   gen.CustomerEvent
	code string
}

// putCustomer creates or updates a customer and returns its code. An unknown code creates a
// customer with that code (the real API's answer to it is not documented).
func (s *store) putCustomer(req gen.CustomerRequest) (string, error) {
	code := req.CustomerCode
	for _, other := range s.customers {
		if other.c.CustomerName == req.CustomerName && other.c.CustomerCode != code {
			return "", fmt.Errorf("customerName %q is already used by customer %s (names must be unique)", req.CustomerName, other.c.CustomerCode)
		}
	}
	rec := s.customers[code]
	created := rec == nil
	if created {
		if code == "" {
			prefix := "C"
			if req.CustomerState == 1 {
				prefix = "L" // leads are numbered L000308, customers C000349
			}
			code = s.number(prefix, "", 6)
		}
		s.customerID++
		rec = &customerRec{id: s.customerID}
		s.customers[code] = rec
		s.customerOrder = append(s.customerOrder, code)
	}
	rec.req = clone(req)
	c := &rec.c
	c.CustomerID = wire.StringID(strconv.FormatInt(rec.id, 10)) // a string on this page of the docs
	c.CustomerCode = code
	c.CustomerName = req.CustomerName
	c.CustomerState = req.CustomerState
	set(&c.CustomerStatus, req.CustomerStatus)
	setv(&c.CustomerType, req.CustomerType)
	setv(&c.CustomerPicture, req.CustomerPicture)
	setv(&c.CustomerSecondName, req.CustomerSecondName)
	setv(&c.CustomerTaxNo, req.CustomerTaxNo)
	setv(&c.BranchCode, req.BranchCode)
	setv(&c.CustomerPhone, req.CustomerPhone)
	setv(&c.CustomerMobile, req.CustomerMobile)
	setv(&c.CustomerEmail, req.CustomerEmail)
	setv(&c.SourceName, req.SourceName)
	setv(&c.CustomerGroupName, req.CustomerGroupName)
	setv(&c.ClassificationName, req.ClassificationName)
	setv(&c.CustomerNote, req.CustomerNote)
	setv(&c.CustomerIncome, req.CustomerIncome)
	setv(&c.CreditLimit, req.CreditLimit)
	setv(&c.CustomerSocialAccount, req.CustomerSocialAccount)
	setSlice(&c.CustomerAliases, req.CustomerAliases)
	setSlice(&c.CustomerTags, req.CustomerTags)
	setSlice(&c.InterestsName, req.InterestsName)
	setSlice(&c.Addresses, req.Addresses)
	if req.Owners != nil {
		c.Owners = slices.Clone(req.Owners)
		c.PrimaryOwner = ""
		if len(req.Owners) > 0 {
			c.PrimaryOwner = req.Owners[0]
		}
	}
	hasContact := !reflect.ValueOf(req.Contact).IsZero()
	if req.Contacts != nil || hasContact {
		// The Get example names the array "contact"; the create request has both a single
		// "contact" and a "contacts" array.
		c.Contact = slices.Clone(req.Contacts)
		if hasContact {
			c.Contact = append(c.Contact, req.Contact)
		}
	}
	if req.CustomFields != nil {
		c.CustomFields = c.CustomFields[:0]
		for _, f := range req.CustomFields {
			c.CustomFields = append(c.CustomFields, &customField{f.CustomFieldName, f.CustomFieldValue})
		}
	}
	switch {
	case req.LeadStatus != 0:
		c.LeadStatus = req.LeadStatus
	case created:
		c.LeadStatus = max(1, min(req.CustomerState, 3)) // the documented default: Lead 1, Prospect 2, Customer 3
	}
	// Required arrays are never null.
	c.CustomerAliases = nonNil(c.CustomerAliases)
	c.InterestsName = nonNil(c.InterestsName)
	c.Addresses = nonNil(c.Addresses)
	if c.CustomFields == nil {
		c.CustomFields = []*customField{}
	}
	return code, nil
}

func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// setv sets *dst to src unless src is its type's zero value (an absent optional field of a
// request decodes to the zero value).
func setv[T comparable](dst *T, src T) {
	var zero T
	if src != zero {
		*dst = src
	}
}

func setPtr[T any](dst **T, src *T) {
	if src != nil {
		v := *src
		*dst = &v
	}
}

func setSlice[T any](dst *[]T, src []T) {
	if src != nil {
		*dst = slices.Clone(src)
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// createOrUpdateCustomer: POST /v3/customers. The response body is not documented; the fake
// answers {"status":…,"data":{"customerCode":"C000004"}}.
func createOrUpdateCustomer(s *store, c *call) response {
	var req gen.CustomerRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	if res, ok := checkCustomerState(req.CustomerState); !ok {
		return res
	}
	code, err := s.putCustomer(req)
	if err != nil {
		return badRequest("%v", err)
	}
	return ok(map[string]any{"customerCode": code})
}

// getCustomerByCode: GET /v3/customers/{customerCode}.
func getCustomerByCode(s *store, c *call) response {
	rec := s.customers[c.param("customerCode")]
	if rec == nil {
		return notFound("customer %s not found", c.param("customerCode"))
	}
	return jsonResponse(200, gen.CustomerEnvelope{Status: successStatus(), Data: clone(rec.c)})
}

func successStatus() gen.Status {
	return gen.Status{Code: wire.NewCode(wire.CodeSuccess), Description: "Success"}
}

// createCustomerSatisfaction: POST /v3/customers/satisfaction. Answers the status alone.
func createCustomerSatisfaction(s *store, c *call) response {
	var req gen.CustomerSatisfactionRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	switch {
	case req.SourceType == 1 && (req.Point < 1 || req.Point > 5):
		return badRequest("Point must be 1–5 for CSAT (SourceType 1), got %d", req.Point)
	case req.SourceType == 2 && (req.Point < 1 || req.Point > 10):
		return badRequest("Point must be 1–10 for NPS (SourceType 2), got %d", req.Point)
	case req.SourceType != 1 && req.SourceType != 2:
		return badRequest("SourceType must be 1 (CSAT) or 2 (NPS), got %d", req.SourceType)
	}
	s.satisfied = append(s.satisfied, req)
	return ok(nil)
}

// addCustomerEvent: POST /v1/customerEvent. As documented, only the status comes back (the
// new event's id is not returned).
func addCustomerEvent(s *store, c *call) response {
	var req gen.CustomerEventRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	if res, ok := s.checkEventType(req.EventType); !ok {
		return res
	}
	if res, ok := s.checkCustomerExists("customer event", req.CustomerCode); !ok {
		return res
	}
	s.eventID++
	ev := gen.CustomerEvent{
		EventID:     s.eventID,
		EventName:   req.EventName,
		EventDate:   bkk(req.EventDate),
		EventType:   req.EventType,
		Description: req.Description,
	}
	if rec := s.customers[req.CustomerCode]; rec != nil {
		ev.CustomerID = rec.id
	}
	s.events[ev.EventID] = &eventRec{ev: ev, code: req.CustomerCode}
	s.eventOrder = append(s.eventOrder, ev.EventID)
	return jsonResponse(200, gen.StatusEnvelope{Status: successStatus()})
}

// getCustomerEvents: GET /v1/customerEvent/filter?customerCode=…[&eventTypeIds=…] with an
// optional JSON body {DateFrom, DateTo} (either spelling).
func getCustomerEvents(s *store, c *call) response {
	q := c.r.URL.Query()
	code := q.Get("customerCode")
	var typ int64
	if v := q.Get("eventTypeIds"); v != "" {
		typ, _ = strconv.ParseInt(v, 10, 64)
	}
	var f gen.CustomerEventFilterRequest
	if err := c.decode(&f); err != nil {
		return badRequest("%v", err)
	}
	from, to := f.DateFrom, f.DateTo
	if from.IsZero() {
		from = f.DateFromPascal
	}
	if to.IsZero() {
		to = f.DateToPascal
	}
	out := []gen.CustomerEvent{}
	for _, id := range s.eventOrder {
		e := s.events[id]
		if e.code != code || (typ != 0 && e.ev.EventType != typ) {
			continue
		}
		if from.Valid() && (!e.ev.EventDate.Valid() || e.ev.EventDate.Time().Before(from.Time())) {
			continue
		}
		if to.Valid() && (!e.ev.EventDate.Valid() || e.ev.EventDate.Time().After(to.Time())) {
			continue
		}
		out = append(out, clone(e.ev))
	}
	return jsonResponse(200, gen.CustomerEventListEnvelope{Status: successStatus(), Data: out})
}

// editCustomerEvent: PUT /v1/customerEvent/{eventId}; answers the updated event.
func editCustomerEvent(s *store, c *call) response {
	id, _ := strconv.ParseInt(c.param("eventId"), 10, 64)
	e := s.events[id]
	if e == nil {
		return notFound("customer event %d not found", id)
	}
	var req gen.CustomerEventUpdateRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	// An absent field reads as its zero value: only values sent are checked.
	if req.EventType != 0 {
		if res, ok := s.checkEventType(req.EventType); !ok {
			return res
		}
	}
	if req.CustomerCode != "" {
		if res, ok := s.checkCustomerExists("customer event", req.CustomerCode); !ok {
			return res
		}
	}
	setv(&e.ev.EventName, req.EventName)
	setv(&e.ev.EventType, req.EventType)
	setv(&e.ev.Description, req.Description)
	if !req.EventDate.IsZero() {
		e.ev.EventDate = bkk(req.EventDate)
	}
	if req.CustomerCode != "" && req.CustomerCode != e.code {
		e.code = req.CustomerCode
		e.ev.CustomerID = 0
		if rec := s.customers[e.code]; rec != nil {
			e.ev.CustomerID = rec.id
		}
	}
	out := clone(e.ev)
	out.CustomerID = 0 // as in the documented Edit response
	return jsonResponse(200, gen.CustomerEventEnvelope{Status: successStatus(), Data: out})
}

// getCustomerEventTypes: GET /v1/customerEvent/event-types; the documented list.
func getCustomerEventTypes(s *store, _ *call) response {
	return jsonResponse(200, gen.CustomerEventTypeListEnvelope{Status: successStatus(), Data: clone(s.eventTypes)})
}
