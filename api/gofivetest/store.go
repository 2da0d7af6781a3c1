package gofivetest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/gofive-go/gofive/api/wire"
	"github.com/gofive-go/gofive/gen"
)

// store is the server's in-memory state. Every method runs under Server.mu.
type store struct {
	rand *rand.Rand
	now  func() time.Time

	seq map[string]int // per number prefix (and month)

	customers     map[string]*customerRec
	customerOrder []string
	customerID    int64

	events      map[int64]*eventRec
	eventOrder  []int64
	eventID     int64
	eventTypes  []gen.CustomerEventType
	satisfied   []gen.CustomerSatisfactionRequest
	cases       map[string]*Case
	caseOrder   []string
	feedbackID  int64
	contracts   map[string]*contractRec
	contractSvc int64
	deals       map[int64]*dealRec
	dealOrder   []int64
	dealID      int64
	employees   []gen.EmployeeEnquiryItem
	expenses    map[int64]*expenseRec
	expenseOrd  []int64
	expenseID   int64
	detailID    int64

	products     map[string]*productRec
	productOrder []string
	tickets      map[int64][]string
	ticketID     int64
	serials      []gen.ProductSerialVerificationRequest
	units        []string

	quotations map[string]*quotationRec
	quoteOrder []string

	orders     map[string]*orderRec
	orderOrder []string
	orderByID  map[int64]string
	orderID    int64

	headerTemplates []map[string]any
}

func newStore(seed uint64, now func() time.Time) *store {
	r := rng(seed, 1)
	s := &store{
		rand:        r,
		now:         now,
		seq:         map[string]int{},
		customers:   map[string]*customerRec{},
		customerID:  480000 + int64(r.IntN(1000)),
		events:      map[int64]*eventRec{},
		cases:       map[string]*Case{},
		feedbackID:  67000 + int64(r.IntN(1000)),
		contracts:   map[string]*contractRec{},
		contractSvc: 37000 + int64(r.IntN(1000)),
		deals:       map[int64]*dealRec{},
		dealID:      int64(r.IntN(1000)),
		expenses:    map[int64]*expenseRec{},
		expenseID:   int64(r.IntN(1000)),
		products:    map[string]*productRec{},
		tickets:     map[int64][]string{},
		ticketID:    279,
		quotations:  map[string]*quotationRec{},
		orders:      map[string]*orderRec{},
		orderByID:   map[int64]string{},
		orderID:     281000 + int64(r.IntN(1000)),
		units:       []string{"ชิ้น", "API", "unit", "box", "set"},
		// The documented event types (Get Customer Event Types' example).
		eventTypes: []gen.CustomerEventType{
			{EventTypeID: 1, EventTypeName: "Paid"}, {EventTypeID: 2, EventTypeName: "New"},
			{EventTypeID: 3, EventTypeName: "Trial"}, {EventTypeID: 4, EventTypeName: "Extend"},
			{EventTypeID: 5, EventTypeName: "Renew"}, {EventTypeID: 6, EventTypeName: "Pro"},
		},
		headerTemplates: []map[string]any{
			{"headerTemplateId": 1, "headerTemplateName": "Default header"},
			{"headerTemplateId": 2, "headerTemplateName": "English header"},
		},
	}
	s.seed()
	return s
}

var (
	firstNames = []string{"Somchai", "Malee", "Niran", "Pimchanok", "Kittipong", "Siriporn", "Anan", "Wanida",
		"Chaiwat", "Ratana", "Prasert", "Suda", "Thanawat", "Kanya", "Wichai", "Nattaya"}
	lastNames = []string{"Srisuk", "Boonmee", "Chaiyaporn", "Wongsa", "Thongdee", "Saetang", "Kaewmanee",
		"Rattanakul", "Phromma", "Jaidee", "Sukjai", "Intharat"}
	companies = []string{"Siam Trading", "Chao Phraya Foods", "Lanna Crafts", "Andaman Logistics",
		"Isan Agro", "Bangkok Office Supply", "Golden Orchid", "Riverside Clinic"}
	productNames = []string{"Office Chair", "Venio Headphone", "Desk Lamp", "Notebook A5", "USB-C Cable",
		"Water Bottle", "Wireless Mouse", "Keyboard", "Monitor 24\"", "Printer Paper", "Stapler", "Whiteboard"}
)

// seed fills the store with deterministic data: 3 customers, 12 products, 25 employees.
func (s *store) seed() {
	for i := range 3 {
		name := companies[s.rand.IntN(len(companies))] + fmt.Sprintf(" %d", i+1)
		s.putCustomer(gen.CustomerRequest{CustomerName: name, CustomerState: 3, CustomerType: 1,
			Owners: []string{"00001"}})
	}
	for i := range 12 {
		code := fmt.Sprintf("PD%03d", i+1)
		name := productNames[i%len(productNames)]
		price := float64(100 + 10*s.rand.IntN(100))
		if code == "PD002" {
			price = 800 // PD002 Venio Headphone at 800, as in the sales-order example
		}
		s.putProduct(gen.ProductUpsertItem{
			ProductCode: code, ProductName: name, Category: "General", ProductUnitName: "ชิ้น",
			Prices: []gen.ProductPrice{{PriceTierName: "Normal Price", RegularPrice: price}},
			Cost:   ptr(price * 0.6), TrackInventory: true, Visibility: true, Active: i%6 != 5,
			Qty: ptr(float64(s.rand.IntN(100))),
		}, "")
	}
	for i, code := range documentedProducts {
		s.putProduct(gen.ProductUpsertItem{
			ProductCode: code, ProductName: "Documented product " + code, Category: "Open API", ProductUnitName: "API",
			Prices:         []gen.ProductPrice{{PriceTierName: "Normal Price", RegularPrice: float64(10 * (i + 1))}},
			TrackInventory: true, Visibility: true, Active: true, Qty: ptr(50.0),
		}, "")
	}
	for i := range 25 {
		name := firstNames[s.rand.IntN(len(firstNames))] + " " + lastNames[s.rand.IntN(len(lastNames))]
		s.employees = append(s.employees, gen.EmployeeEnquiryItem{
			UserID:    s.guid(),
			StaffCode: fmt.Sprintf("%05d", i+1),
			Fullname:  name,
		})
	}
}

func (s *store) guid() string {
	a, b := s.rand.Uint64(), s.rand.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xfff, 0x8000|(b>>48)&0x3fff, b&0xffffffffffff)
}

// number returns the next document number: prefix, the period (e.g. "2606" for June 2026)
// and a zero-padded sequence of width digits.
func (s *store) number(prefix, period string, width int) string {
	key := prefix + period
	s.seq[key]++
	return fmt.Sprintf("%s%s%0*d", prefix, period, width, s.seq[key])
}

func (s *store) yymm() string { return s.now().In(wire.Bangkok()).Format("0601") }
func (s *store) mmyy() string { return s.now().In(wire.Bangkok()).Format("0106") }

// nowTime is the current time in the API's usual form (2025-01-29T15:38:43+0700).
func (s *store) nowTime() wire.Time {
	return wire.NewTime(s.now().In(wire.Bangkok()).Truncate(time.Second), wire.LayoutOffsetNoColon)
}

// bkk re-renders a valid time in the API's response form (offset without colon, Bangkok);
// placeholders are kept verbatim.
func bkk(t wire.Time) wire.Time {
	if !t.Valid() {
		return t
	}
	layout := wire.LayoutOffsetNoColon
	if t.Layout() == wire.LayoutDate {
		layout = wire.LayoutDate
	}
	return wire.NewTime(t.Time().In(wire.Bangkok()), layout)
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// or returns *p, or def when p is nil.
func or[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// clone deep-copies v through JSON, so callers never share the store's values.
func clone[T any](v T) T {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

// page returns items[skip:skip+take], clamped; take <= 0 means none.
func page[T any](items []T, skip, take int) []T {
	if skip < 0 {
		skip = 0
	}
	if take <= 0 || skip >= len(items) {
		return []T{}
	}
	end := len(items)
	if take < end-skip { // not skip+take, which overflows for take near MaxInt
		end = skip + take
	}
	return slices.Clone(items[skip:end])
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// sameDay reports whether two times fall on the same calendar day in Bangkok.
func sameDay(a, b wire.Time) bool {
	if !a.Valid() || !b.Valid() {
		return a.String() == b.String()
	}
	return a.Time().In(wire.Bangkok()).Format(time.DateOnly) == b.Time().In(wire.Bangkok()).Format(time.DateOnly)
}

// orv returns v, or def when v is its type's zero value (an absent optional request field).
func orv[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
