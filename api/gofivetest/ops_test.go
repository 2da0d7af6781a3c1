package gofivetest_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/gofive-go/gofive/api/gofivetest"
	"github.com/gofive-go/gofive/api/wire"
	"github.com/gofive-go/gofive/gen"
	"github.com/gofive-go/gofive/spec"
)

var fixed = time.Date(2026, 6, 5, 10, 30, 0, 0, wire.Bangkok())

func fixedClock() time.Time { return fixed }

func mustTime(t *testing.T, s string) wire.Time {
	t.Helper()
	v, err := wire.ParseTime(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func expectStatus(t *testing.T, what string, got int, body []byte, want int) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: status %d, want %d: %s", what, got, want, body)
	}
}

// TestEveryOperationRoundTrip drives every operation of the spec through the generated client
// against the fake, with the strict validating transport on: created things read back,
// updates change them, lists page through them.
func TestEveryOperationRoundTrip(t *testing.T) {
	e := setup(t, gofivetest.WithClock(fixedClock))
	ctx := t.Context()
	c := e.c

	t.Run("customers", func(t *testing.T) {
		res, err := c.CreateOrUpdateCustomerWithResponse(ctx, gen.CustomerRequest{
			CustomerName: "Lanna Tea Co.", CustomerState: 3, CustomerType: 1,
			CustomerEmail: "sales@lanna.example", Owners: []string{"00004"},
			Addresses: []gen.CustomerAddress{{LocationName: "HQ", LocationType: 1}},
			Contacts:  []gen.CustomerContact{{ContactName: "Somchai", ContactStatus: true}},
		})
		if err != nil {
			t.Fatal(err)
		}
		expectStatus(t, "create customer", res.StatusCode(), res.Body, 200)
		code := data[map[string]string](t, res.Body)["customerCode"]
		if !regexp.MustCompile(`^C\d{6}$`).MatchString(code) {
			t.Fatalf("customer code %q is not like C000349", code)
		}
		got, err := c.GetCustomerByCodeWithResponse(ctx, code)
		if err != nil || got.JSON200 == nil {
			t.Fatalf("get customer: %v %s", err, got.Body)
		}
		d := got.JSON200.Data
		if d.CustomerName != "Lanna Tea Co." || d.CustomerCode != code || d.CustomerEmail != "sales@lanna.example" ||
			d.LeadStatus != 3 || d.PrimaryOwner != "00004" || len(d.Contact) != 1 || d.Addresses[0].LocationName != "HQ" {
			t.Errorf("read back %+v", d)
		}
		// Update by code.
		res, _ = c.CreateOrUpdateCustomerWithResponse(ctx, gen.CustomerRequest{
			CustomerCode: code, CustomerName: "Lanna Tea Company", CustomerState: 3, CustomerPhone: "053-000000",
		})
		expectStatus(t, "update customer", res.StatusCode(), res.Body, 200)
		got, _ = c.GetCustomerByCodeWithResponse(ctx, code)
		if d := got.JSON200.Data; d.CustomerName != "Lanna Tea Company" || d.CustomerPhone != "053-000000" || d.CustomerEmail != "sales@lanna.example" {
			t.Errorf("after update %+v", d)
		}
		// A lead is numbered L…
		res, _ = c.CreateOrUpdateCustomerWithResponse(ctx, gen.CustomerRequest{CustomerName: "Maybe Ltd", CustomerState: 1})
		if lead := data[map[string]string](t, res.Body)["customerCode"]; !regexp.MustCompile(`^L\d{6}$`).MatchString(lead) {
			t.Errorf("lead code %q", lead)
		}
		// Names are unique.
		res, _ = c.CreateOrUpdateCustomerWithResponse(ctx, gen.CustomerRequest{CustomerName: "Maybe Ltd", CustomerState: 3})
		expectStatus(t, "duplicate name", res.StatusCode(), res.Body, 400)
		// Unknown code: 404 with a 4001 envelope.
		got, _ = c.GetCustomerByCodeWithResponse(ctx, "C999999")
		expectStatus(t, "unknown customer", got.StatusCode(), got.Body, 404)

		sat, _ := c.CreateCustomerSatisfactionWithResponse(ctx, gen.CustomerSatisfactionRequest{
			SourceName: "NPS [Venio]", SourceType: 2, Point: 9, CustomerCode: code,
			DateCreated: mustTime(t, "2026-06-05 10:00:00"), AnswerBy: "Bob Name",
		})
		expectStatus(t, "satisfaction", sat.StatusCode(), sat.Body, 200)
		if s := e.srv.Satisfactions(); len(s) != 1 || s[0].Point != 9 {
			t.Errorf("satisfactions %+v", s)
		}
		sat, _ = c.CreateCustomerSatisfactionWithResponse(ctx, gen.CustomerSatisfactionRequest{
			SourceName: "CSAT", SourceType: 1, Point: 9, CustomerCode: code, DateCreated: mustTime(t, "2026-06-05"),
		})
		expectStatus(t, "CSAT out of range", sat.StatusCode(), sat.Body, 400)

		// Events: add two, list, filter, edit.
		types, _ := c.GetCustomerEventTypesWithResponse(ctx)
		if types.JSON200 == nil || len(types.JSON200.Data) != 6 || types.JSON200.Data[0].EventTypeName != "Paid" {
			t.Fatalf("event types %s", types.Body)
		}
		for i, when := range []string{"2026-01-10T10:00:00", "2026-02-20T09:00:00"} {
			r, _ := c.AddCustomerEventWithResponse(ctx, gen.CustomerEventRequest{
				EventName: fmt.Sprintf("Meeting %d", i+1), EventType: int64(i + 1), EventDate: mustTime(t, when),
				Description: "project", CustomerCode: code,
			})
			expectStatus(t, "add event", r.StatusCode(), r.Body, 200)
		}
		list, _ := c.GetCustomerEventsWithResponse(ctx, &gen.GetCustomerEventsParams{CustomerCode: code}, gen.CustomerEventFilterRequest{})
		if list.JSON200 == nil || len(list.JSON200.Data) != 2 {
			t.Fatalf("events %s", list.Body)
		}
		ev := list.JSON200.Data[0]
		if ev.EventDate.String() != "2026-01-10T10:00:00+0700" || ev.CustomerID == 0 {
			t.Errorf("event %+v (date %s)", ev, ev.EventDate)
		}
		list, _ = c.GetCustomerEventsWithResponse(ctx, &gen.GetCustomerEventsParams{CustomerCode: code},
			gen.CustomerEventFilterRequest{DateFromPascal: mustTime(t, "2026-02-01T00:00:00"), DateToPascal: mustTime(t, "2026-02-28T23:59:59")})
		if len(list.JSON200.Data) != 1 || list.JSON200.Data[0].EventName != "Meeting 2" {
			t.Errorf("date filter: %s", list.Body)
		}
		list, _ = c.GetCustomerEventsWithResponse(ctx, &gen.GetCustomerEventsParams{CustomerCode: code, EventTypeIds: int64(1)}, gen.CustomerEventFilterRequest{})
		if len(list.JSON200.Data) != 1 || list.JSON200.Data[0].EventType != 1 {
			t.Errorf("type filter: %s", list.Body)
		}
		edit, _ := c.EditCustomerEventWithResponse(ctx, ev.EventID, gen.CustomerEventUpdateRequest{EventName: "Updated Meeting", EventType: int64(4)})
		if edit.JSON200 == nil || edit.JSON200.Data.EventName != "Updated Meeting" || edit.JSON200.Data.EventType != 4 {
			t.Fatalf("edit event %s", edit.Body)
		}
		if evs := e.srv.CustomerEvents(code); evs[0].EventName != "Updated Meeting" {
			t.Errorf("stored %+v", evs[0])
		}
		edit, _ = c.EditCustomerEventWithResponse(ctx, 999999, gen.CustomerEventUpdateRequest{})
		expectStatus(t, "edit unknown event", edit.StatusCode(), edit.Body, 404)
	})

	t.Run("cases", func(t *testing.T) {
		res, _ := c.AddCaseWithResponse(ctx, gen.CaseAddRequest{
			CaseType: 1, Subject: "Printer broken", CustomerCode: "C000001", CategoryID: 2140016585,
			DateCase: mustTime(t, "2026-06-05T10:00:00.000+0700"), DateDue: mustTime(t, "2026-06-06T10:00:00.000+0700"),
			AssignedToUserID: "6d473b8f-a6b3-4536-b1e6-f4b7688414e2",
		})
		if res.JSON200 == nil {
			t.Fatalf("add case %d %s", res.StatusCode(), res.Body)
		}
		fid, _ := res.JSON200.Data.Data.FeedbackID.Int64()
		cases := e.srv.Cases()
		if len(cases) != 1 || cases[0].FeedbackID != fid || cases[0].CaseNo != "T260600001" || cases[0].Subject != "Printer broken" {
			t.Fatalf("cases %+v (feedbackId %d)", cases, fid)
		}
		ed, _ := c.EditCaseWithResponse(ctx, "T260600001", gen.CaseEditRequest{
			Subject: "Printer fixed", CustomerNo: "C000002", CategoryID: 1,
			DateCase: cases[0].DateCase, DateDue: cases[0].DateDue, AssignedToUserID: cases[0].AssignedToUserID,
		})
		expectStatus(t, "edit case", ed.StatusCode(), ed.Body, 200)
		if cs, _ := e.srv.Case("T260600001"); cs.Subject != "Printer fixed" || cs.CustomerCode != "C000002" {
			t.Errorf("after edit %+v", cs)
		}
		ed, _ = c.EditCaseWithResponse(ctx, "T000000000", gen.CaseEditRequest{Subject: "x", DateCase: cases[0].DateCase, DateDue: cases[0].DateDue})
		expectStatus(t, "edit unknown case", ed.StatusCode(), ed.Body, 404)
	})

	t.Run("contracts", func(t *testing.T) {
		res, _ := c.CreateOrUpdateContractWithResponse(ctx, gen.ContractRequest{
			ContractName: "Support 2026", ContractType: "MA", CustomerCode: "C000001", ContractValue: ptr(float64(2000)),
			DateStart: mustTime(t, "2026-06-18 00:00:00"), DateEnd: mustTime(t, "2027-06-18 00:00:00"), Owner: "UAT007",
			ContractService: gen.ContractServiceInput{Subject: "Quarterly check", Frequency: 260002, NumberOfTimes: 4},
		})
		expectStatus(t, "create contract", res.StatusCode(), res.Body, 200)
		no := data[map[string]string](t, res.Body)["contractNo"]
		if no != "CONT260600001" {
			t.Fatalf("contract number %q", no)
		}
		got, _ := c.GetContractByNoWithResponse(ctx, no)
		if got.JSON200 == nil {
			t.Fatalf("get contract %s", got.Body)
		}
		k := got.JSON200.Data
		if k.ContractName != "Support 2026" || k.StatusID != 1601 || k.CustomerType != 11300 || len(k.ContractServices) != 1 || k.DateStart.String() != "2026-06-18 00:00:00" {
			t.Errorf("contract %+v", k)
		}
		svcID := int64(k.ContractServices[0]["contractServiceId"].(float64))
		sa, _ := c.CreateOrUpdateContractServiceAgreementWithResponse(ctx, gen.ContractServiceAgreementRequest{
			ContractNo: no, ContractServiceID: svcID, Subject: "Monthly check", Frequency: 260003, NumberOfTimes: 12,
		})
		if sa.JSON200 == nil || sa.JSON200.Data["subject"] != "Monthly check" {
			t.Fatalf("update agreement %s", sa.Body)
		}
		sa, _ = c.CreateOrUpdateContractServiceAgreementWithResponse(ctx, gen.ContractServiceAgreementRequest{
			ContractNo: no, Subject: "Yearly audit", Frequency: 260001, NumberOfTimes: 1,
		})
		expectStatus(t, "add agreement", sa.StatusCode(), sa.Body, 200)
		res, _ = c.CreateOrUpdateContractWithResponse(ctx, gen.ContractRequest{
			ContractNo: no, ContractName: "Support 2026 (renewed)", ContractType: "MA", CustomerCode: "C000001",
			DateStart: k.DateStart, DateEnd: k.DateEnd, Owner: "UAT007",
		})
		expectStatus(t, "update contract", res.StatusCode(), res.Body, 200)
		got, _ = c.GetContractByNoWithResponse(ctx, no)
		if k := got.JSON200.Data; k.ContractName != "Support 2026 (renewed)" || len(k.ContractServices) != 2 || k.ContractServices[0]["subject"] != "Monthly check" {
			t.Errorf("after update %+v", k)
		}
		got, _ = c.GetContractByNoWithResponse(ctx, "CONT000000000")
		expectStatus(t, "unknown contract", got.StatusCode(), got.Body, 404)
	})

	t.Run("conversations", func(t *testing.T) {
		res, _ := c.ConversationEnquiryWithResponse(ctx, gen.ConversationEnquiryRequest{"anything": 1})
		if got := data[[]any](t, res.Body); len(got) != 0 {
			t.Errorf("conversations %s", res.Body)
		}
	})

	t.Run("deals", func(t *testing.T) {
		res, _ := c.CreateDealWithResponse(ctx, gen.DealCreateRequest{
			CustomerCodes: []string{"C000001"}, BoardID: 1, DealName: "Fleet renewal", Probability: 20, DealValue: 150000,
			ExpectedCloseDate: mustTime(t, "2026-07-01T00:00:00+0700"), AssignTo: "00004", CancelAllOrder: ptr(false),
		})
		expectStatus(t, "create deal", res.StatusCode(), res.Body, 200)
		d := data[struct {
			DealsID int64  `json:"dealsId"`
			DealNo  string `json:"dealNo"`
		}](t, res.Body)
		if d.DealNo != "D260600001" {
			t.Errorf("deal number %q", d.DealNo)
		}
		up, _ := c.UpdateDealWithResponse(ctx, d.DealsID, gen.DealUpdateRequest{
			DealName: "Fleet renewal (won)", DealValue: 175000, ExpectedCloseDate: mustTime(t, "2026-07-01T00:00:00+0700"),
			AssignTo: "00004", Probability: ptr(100),
		})
		if up.JSON200 == nil {
			t.Fatalf("update deal %d %s", up.StatusCode(), up.Body)
		}
		v := up.JSON200.Data.Value
		if v.DealsID != d.DealsID || v.DealNo != d.DealNo || v.DealsName != "Fleet renewal (won)" || v.DealsValue != 175000 || v.CustomerID == 0 {
			t.Errorf("deal %+v", v)
		}
		if rec, _ := e.srv.Deal(d.DealsID); rec.Request.Probability != 100 || rec.Request.CustomerCodes[0] != "C000001" {
			t.Errorf("stored deal %+v", rec.Request)
		}
		up, _ = c.UpdateDealWithResponse(ctx, 424242, gen.DealUpdateRequest{DealName: "x", ExpectedCloseDate: fixedWire(), AssignTo: "a"})
		expectStatus(t, "unknown deal", up.StatusCode(), up.Body, 404)
	})

	t.Run("employees", func(t *testing.T) {
		var all []gen.EmployeeEnquiryItem
		for skip := 0; ; skip += 10 {
			res, _ := c.EmployeesEnquiryWithResponse(ctx, gen.EmployeeEnquiryRequest{Skip: skip, PageLength: 10, OrderBy: 0})
			if res.JSON200 == nil {
				t.Fatalf("employees %s", res.Body)
			}
			all = append(all, res.JSON200.Data.Value...)
			if len(res.JSON200.Data.Value) < 10 {
				break
			}
		}
		if len(all) != 25 || all[3].StaffCode != "00004" {
			t.Fatalf("paged %d employees", len(all))
		}
		name := all[7].Fullname
		res, _ := c.EmployeesEnquiryWithResponse(ctx, gen.EmployeeEnquiryRequest{KeyWord: name, PageLength: 50})
		if len(res.JSON200.Data.Value) == 0 || res.JSON200.Data.Value[0].Fullname != name {
			t.Errorf("keyword %q: %s", name, res.Body)
		}
	})

	t.Run("expenses", func(t *testing.T) {
		status, body := e.raw("POST", "/v1/Expenses", `{"subject":"Chiang Mai trip","ExpenseDetails":[{"expenseTypeId":1001,"amount":1500.5,"night":1},{"expenseTypeId":1003,"amount":300,"milesStart":100,"milesEnd":180}]}`)
		expectStatus(t, "create expense", status, body, 200)
		x := data[struct {
			ExpenseID int64  `json:"expenseId"`
			ExpenseNo string `json:"expenseNo"`
		}](t, body)
		got, _ := c.GetExpenseWithResponse(ctx, x.ExpenseID)
		if got.JSON200 == nil {
			t.Fatalf("get expense %s", got.Body)
		}
		v := got.JSON200.Data.Value
		if v.Subject != "Chiang Mai trip" || v.Total != 1800.5 || len(v.ExpenseDetails) != 2 || v.ExpenseNo != x.ExpenseNo {
			t.Errorf("expense %+v", v)
		}
		var details gen.ExpenseUpdateRequest_ExpenseDetails
		if err := details.FromExpenseDetailInput(gen.ExpenseDetailInput{ExpenseTypeID: 1004, Amount: 99}); err != nil {
			t.Fatal(err)
		}
		up, _ := c.UpdateExpenseWithResponse(ctx, fmt.Sprint(x.ExpenseID), gen.ExpenseUpdateRequest{Subject: "Chiang Mai trip (other)", ExpenseDetails: details})
		expectStatus(t, "update expense", up.StatusCode(), up.Body, 200)
		got, _ = c.GetExpenseWithResponse(ctx, x.ExpenseID)
		if v := got.JSON200.Data.Value; v.Subject != "Chiang Mai trip (other)" || v.Total != 99 || len(v.ExpenseDetails) != 1 {
			t.Errorf("after update %+v", v)
		}
		enq, _ := c.ExpenseEnquiryWithResponse(ctx, gen.ExpenseEnquiryRequest{ExpenseTypeID: 1004, SearchText: "chiang"})
		if got := data[[]gen.Expense](t, enq.Body); len(got) != 1 || got[0].ExpenseID != x.ExpenseID {
			t.Errorf("enquiry %s", enq.Body)
		}
		enq, _ = c.ExpenseEnquiryWithResponse(ctx, gen.ExpenseEnquiryRequest{ExpenseTypeID: 1001})
		if got := data[[]gen.Expense](t, enq.Body); len(got) != 0 {
			t.Errorf("enquiry for replaced type %s", enq.Body)
		}
		status, body = e.raw("POST", "/v1/Expenses", `{"ExpenseDetails":[{"expenseTypeId":1003,"amount":1,"milesStart":9,"milesEnd":3}]}`)
		expectStatus(t, "fuel rule", status, body, 400)
	})

	t.Run("products", func(t *testing.T) {
		res, _ := c.CreateOrUpdateProductsWithResponse(ctx, gen.ProductUpsertRequest{Products: []gen.ProductUpsertItem{
			{ProductCode: "TEA-001", ProductName: "Jasmine tea", Category: "Tea", ProductUnitName: "box",
				Prices: []gen.ProductPrice{{PriceTierName: "Normal Price", RegularPrice: 120}}, TrackInventory: true,
				Visibility: true, Active: true, Qty: ptr(float64(10))},
			{ProductName: "Mug", Category: "Kitchen", ProductUnitName: "ชิ้น", TrackInventory: true, Visibility: true, Active: true,
				ProductVariant: []gen.ProductVariant{
					{ProductCode: "MUG-S", ProductName: "Mug S", Prices: []gen.ProductVariantPrice{{RegularPrice: ptr(90.0)}}, Attribute: []gen.ProductVariantAttribute{{AttributeName: "Size", AttributeValueName: "S"}}},
					{ProductCode: "MUG-L", ProductName: "Mug L", Active: ptr(wire.Bool(false)), Prices: []gen.ProductVariantPrice{{RegularPrice: ptr(110.0)}}, Attribute: []gen.ProductVariantAttribute{{AttributeName: "Size", AttributeValueName: "L"}}},
				}},
		}})
		expectStatus(t, "upsert products", res.StatusCode(), res.Body, 200)
		up := data[struct {
			TicketID     int64    `json:"ticketId"`
			ProductCodes []string `json:"productCodes"`
		}](t, res.Body)
		if fmt.Sprint(up.ProductCodes) != "[TEA-001 MUG-S MUG-L]" {
			t.Errorf("codes %v", up.ProductCodes)
		}
		tk, _ := c.GetProductTicketWithResponse(ctx, up.TicketID)
		if got := data[map[string]any](t, tk.Body); fmt.Sprint(got["productCodes"]) != "[TEA-001 MUG-S MUG-L]" {
			t.Errorf("ticket %s", tk.Body)
		}
		p, _ := c.GetProductByCodeWithResponse(ctx, "TEA-001")
		if p.JSON200 == nil || p.JSON200.Data.ProductCode != "TEA-001" {
			t.Fatalf("get product %s", p.Body)
		}
		if got := data[map[string]any](t, p.Body); got["productName"] != "Jasmine tea" || got["qty"] != 10.0 {
			t.Errorf("product %s", p.Body)
		}
		st, _ := c.UpdateProductStockWithResponse(ctx, gen.ProductStockUpdateRequest{{ProductCode: "TEA-001", Qty: 30}, {ProductCode: "NOPE", Qty: 1}})
		if st.JSON200 == nil || !st.JSON200.Data[0].IsSuccess || st.JSON200.Data[1].IsSuccess || st.JSON200.StatusCode != 1000 {
			t.Fatalf("stock %s", st.Body)
		}
		if rec, _ := e.srv.Product("TEA-001"); rec.Qty != 30 {
			t.Errorf("stock %d", rec.Qty)
		}
		// Filter: active only, searched, paged.
		var seen []string
		for skip := 0; ; skip += 2 {
			res, _ := c.GetProductsByFilterWithResponse(ctx, filter(t, skip, 2, "mug", 1))
			items := data[[]map[string]any](t, res.Body)
			for _, it := range items {
				seen = append(seen, it["productCode"].(string))
			}
			if len(items) < 2 {
				break
			}
		}
		if fmt.Sprint(seen) != "[MUG-S]" {
			t.Errorf("active mugs %v", seen)
		}
		res2, _ := c.GetProductsByFilterWithResponse(ctx, filter(t, 0, 50, "mug", 0))
		if items := data[[]map[string]any](t, res2.Body); len(items) != 1 || items[0]["productCode"] != "MUG-L" {
			t.Errorf("inactive mugs %s", res2.Body)
		}
		ts, _ := c.GetProductsWithTakeAndStatusWithResponse(ctx, gen.ProductTakeStatusRequest{Take: 3, Status: []int{1}})
		if items := data[[]map[string]any](t, ts.Body); len(items) != 3 {
			t.Errorf("take 3: %s", ts.Body)
		}
		bad, _ := c.CreateOrUpdateProductsWithResponse(ctx, gen.ProductUpsertRequest{Products: []gen.ProductUpsertItem{
			{ProductCode: "X", ProductName: "X", Category: "X", ProductUnitName: "parsec"}}})
		expectStatus(t, "unknown unit", bad.StatusCode(), bad.Body, 400)

		v, _ := c.VerifySerialNumberWithResponse(ctx, gen.ProductSerialVerificationRequest{
			SerialNumber: "SN-1", CustomerCode: "C000001", PurchaseDate: mustTime(t, "2026-06-01"), Longitude: ptr(100.5),
		})
		expectStatus(t, "verify serial", v.StatusCode(), v.Body, 200)
		v, _ = c.VerifySerialNumberWithResponse(ctx, gen.ProductSerialVerificationRequest{SerialNumber: "SN-1", CustomerCode: "C000001", PurchaseDate: mustTime(t, "2026-06-01")})
		expectStatus(t, "serial twice", v.StatusCode(), v.Body, 400)
		ss, _ := c.GetSerialStatusWithResponse(ctx)
		if got := data[[]map[string]any](t, ss.Body); len(got) != 1 || got[0]["SerialNumber"] != "SN-1" {
			t.Errorf("serial status %s", ss.Body)
		}
		u, _ := c.GetProductUnitsWithResponse(ctx)
		if got := data[[]string](t, u.Body); len(got) == 0 {
			t.Errorf("units %s", u.Body)
		}
	})

	t.Run("quotations and sales orders", func(t *testing.T) {
		var nos []string
		for i := range 7 {
			res, _ := c.CreateOrUpdateQuotationWithResponse(ctx, gen.QuotationRequest{
				QuotationSubject: fmt.Sprintf("Offer %d", i), QuotationDate: mustTime(t, "2026-06-05"),
				QuotationValidUntil: mustTime(t, "2026-07-05"), QuotationStatus: 2, CustomerCode: "C000001",
				StaffCode: "00004", VatCalculation: true,
				QuotationDetails: []gen.QuotationRequestLine{{ProductCode: "PD002", Qty: 2, VatTaxValue: ptr(7.0)}},
			})
			expectStatus(t, "create quotation", res.StatusCode(), res.Body, 200)
			nos = append(nos, data[map[string]string](t, res.Body)["quotationNo"])
		}
		if nos[0] != "Q06260000001" || nos[6] != "Q06260000007" {
			t.Errorf("quotation numbers %v", nos)
		}
		q, _ := c.GetQuotationWithResponse(ctx, nos[0])
		if q.JSON200 == nil || q.JSON200.Data.SubTotal != 1600 || q.JSON200.Data.QuotationSubject != "Offer 0" {
			t.Fatalf("quotation %s", q.Body)
		}
		// Update through referenceNo = the number, as the vendor sample edits.
		res, _ := c.CreateOrUpdateQuotationWithResponse(ctx, gen.QuotationRequest{
			ReferenceNo: nos[1], QuotationSubject: "Offer 1 (revised)", QuotationDate: mustTime(t, "2026-06-05"),
			QuotationValidUntil: mustTime(t, "2026-07-05"), QuotationStatus: 4, CustomerCode: "C000001", StaffCode: "00004",
			QuotationDetails: []gen.QuotationRequestLine{{ProductCode: "PD002", Qty: 1, DiscountType: ptr(true), DiscountValue: ptr(10.0)}},
		})
		if got := data[map[string]string](t, res.Body)["quotationNo"]; got != nos[1] {
			t.Errorf("update by referenceNo made %s", got)
		}
		q, _ = c.GetQuotationWithResponse(ctx, nos[1])
		if d := q.JSON200.Data; d.QuotationSubject != "Offer 1 (revised)" || d.QuotationStatus != 4 || d.SubTotal != 720 {
			t.Errorf("revised %s", q.Body)
		}
		var paged []string
		for skip := 0; ; skip += 3 {
			res, _ := c.QuotationEnquiryWithResponse(ctx, gen.QuotationEnquiryRequest{Take: 3, Skip: skip, CustomerCode: "C000001"})
			items := data[[]gen.Quotation](t, res.Body)
			for _, it := range items {
				paged = append(paged, it.QuotationNo)
			}
			if len(items) < 3 {
				break
			}
		}
		if fmt.Sprint(paged) != fmt.Sprint(nos) {
			t.Errorf("paged %v, want %v", paged, nos)
		}
		enq, _ := c.QuotationEnquiryWithResponse(ctx, gen.QuotationEnquiryRequest{Take: 10, QuotationStatus: 4})
		if items := data[[]gen.Quotation](t, enq.Body); len(items) != 1 {
			t.Errorf("status filter %s", enq.Body)
		}

		conv, _ := c.ConvertQuotationToSalesOrderWithResponse(ctx, nos[0], gen.QuotationConvertRequest{QuotationNo: nos[0]})
		expectStatus(t, "convert", conv.StatusCode(), conv.Body, 200)
		soNo := data[map[string]string](t, conv.Body)["salesOrderNo"]
		if soNo != "SO260600001" {
			t.Errorf("sales order number %q", soNo)
		}
		conv, _ = c.ConvertQuotationToSalesOrderWithResponse(ctx, nos[0], gen.QuotationConvertRequest{QuotationNoCamelCase: nos[0]})
		expectStatus(t, "convert twice", conv.StatusCode(), conv.Body, 400)
		conv, _ = c.ConvertQuotationToSalesOrderWithResponse(ctx, nos[2], gen.QuotationConvertRequest{QuotationNo: nos[3]})
		expectStatus(t, "convert mismatch", conv.StatusCode(), conv.Body, 400)
		if q, _ := e.srv.Quotation(nos[0]); q.QuotationStatus != 5 {
			t.Errorf("converted quotation status %d", q.QuotationStatus)
		}

		so, _ := c.GetSalesOrderWithResponse(ctx, soNo)
		if so.JSON200 == nil {
			t.Fatalf("get sales order %s", so.Body)
		}
		if len(so.JSON200.Data) != 1 {
			t.Fatalf("get sales order: %d orders in %s", len(so.JSON200.Data), so.Body)
		}
		order := so.JSON200.Data[0]
		if order.ReferenceNo != nos[0] || order.SalesOrderStatus != 2 || len(order.SalesOrderDetails) != 1 ||
			order.SalesOrderDetails[0].ProductName != "Venio Headphone" || order.GrandTotal != 1712 || order.TotalVat != 112 {
			t.Errorf("order %s", so.Body)
		}

		// Direct create, update, payment, reject.
		cr, _ := c.CreateOrUpdateSalesOrderWithResponse(ctx, gen.SalesOrderRequest{
			SalesOrderSubject: "Direct order", CustomerCode: "C000002", SalesOrderDate: mustTime(t, "2026-06-05"), VatCalculation: false,
			SalesOrderDetails: []gen.SalesOrderRequestLine{{ProductCode: "PD001", Qty: ptr(3.0)}},
		})
		expectStatus(t, "create sales order", cr.StatusCode(), cr.Body, 200)
		created := data[struct {
			No string `json:"salesOrderNo"`
			ID int64  `json:"salesOrderId"`
		}](t, cr.Body)
		if created.No != "SO260600002" {
			t.Errorf("number %q", created.No)
		}
		cr, _ = c.CreateOrUpdateSalesOrderWithResponse(ctx, gen.SalesOrderRequest{
			SalesOrderNo: created.No, SalesOrderSubject: "Direct order (edited)", CustomerCode: "C000002",
			SalesOrderDate: mustTime(t, "2026-06-06"), VatCalculation: false, SalesOrderStatus: 2,
		})
		expectStatus(t, "update sales order", cr.StatusCode(), cr.Body, 200)
		cr, _ = c.CreateOrUpdateSalesOrderWithResponse(ctx, gen.SalesOrderRequest{
			SalesOrderNo: created.No, SalesOrderSubject: "x", CustomerCode: "C000003", SalesOrderDate: mustTime(t, "2026-06-06"),
		})
		expectStatus(t, "change customer", cr.StatusCode(), cr.Body, 400)
		pay, _ := c.UpdateSalesOrderPaymentWithResponse(ctx, created.No, gen.SalesOrderPaymentRequest{Payments: []gen.SalesOrderPaymentItem{
			{PeriodNo: 1, Status: 2}, {InstallmentNumber: 2, Status: 1},
		}})
		if pay.JSON200 == nil || !pay.JSON200.Data {
			t.Fatalf("payment %s", pay.Body)
		}
		so, _ = c.GetSalesOrderWithResponse(ctx, created.No)
		if len(so.JSON200.Data) != 1 {
			t.Fatalf("get sales order: %d orders in %s", len(so.JSON200.Data), so.Body)
		}
		order = so.JSON200.Data[0]
		if order.SalesOrderSubject != "Direct order (edited)" || order.SalesOrderDate.String() != "2026-06-06T00:00:00+0700" ||
			len(order.Payment.SchedulePayments) != 2 || order.Payment.SchedulePayments[0].Status != 2 || len(order.SalesOrderDetails) != 1 {
			t.Errorf("edited order %s", so.Body)
		}
		rj, _ := c.RejectSalesOrdersWithResponse(ctx, gen.SalesOrderRejectRequest{SalesOrderIds: []int64{created.ID}, Reason: "duplicate"})
		if rj.JSON200 == nil || rj.JSON200.StatusCode != 1000 {
			t.Fatalf("reject %s", rj.Body)
		}
		if o, _ := e.srv.SalesOrder(created.No); o.SalesOrderStatus != 4 {
			t.Errorf("status after reject %d", o.SalesOrderStatus)
		}
		rj, _ = c.RejectSalesOrdersWithResponse(ctx, gen.SalesOrderRejectRequest{SalesOrderIds: []int64{1}, Reason: "x"})
		expectStatus(t, "reject unknown", rj.StatusCode(), rj.Body, 400)
		so, _ = c.GetSalesOrderWithResponse(ctx, "SO000000000")
		expectStatus(t, "unknown order", so.StatusCode(), so.Body, 404)
	})

	t.Run("settings", func(t *testing.T) {
		h, _ := c.GetHeaderTemplateWithResponse(ctx)
		if got := data[[]map[string]any](t, h.Body); len(got) == 0 {
			t.Errorf("header templates %s", h.Body)
		}
	})

	// Every operation of the spec was served with a 2xx at least once.
	served := map[string]bool{}
	for _, r := range e.srv.Requests() {
		if r.Status >= 200 && r.Status < 300 {
			served[r.OperationID] = true
		}
	}
	var missing []string
	for path, item := range spec.MustLoad().Paths.Map() {
		for method, op := range item.Operations() {
			if !served[op.OperationID] {
				missing = append(missing, method+" "+path+" ("+op.OperationID+")")
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("operations never served with success: %v", missing)
	}
	if err := e.vt.Err(); err != nil {
		t.Errorf("spec violations: %v", err)
	}
}

func fixedWire() wire.Time { return wire.NewTime(fixed, wire.LayoutOffsetNoColon) }

// filter builds a Get Products By Filter body (its status items are a union type).
func filter(t *testing.T, skip, take int, search string, status int) gen.ProductFilterRequest {
	t.Helper()
	var req gen.ProductFilterRequest
	b, _ := json.Marshal(map[string]any{"productType": 1301, "status": []int{status}, "skip": skip, "take": take, "smartSearch": search})
	if err := json.Unmarshal(b, &req); err != nil {
		t.Fatal(err)
	}
	return req
}
