package e2e_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/api/gofivetest"
	"github.com/gofive-go/gofive/api/wire"
	"github.com/gofive-go/gofive/gen"
	"github.com/gofive-go/gofive/spec"
)

// TestEveryOperation drives every spec operation through the wrapper's generated methods
// against the fake, strict validation on: created things read back, updates show, lists page.
func TestEveryOperation(t *testing.T) {
	e := setup(t, []gofivetest.Option{gofivetest.WithClock(fixedClock)})
	ctx := t.Context()
	c := e.c

	t.Run("Auth", func(t *testing.T) {
		tok, err := c.Auth.GetAccessToken(ctx, gen.TokenRequest{GrantType: "client_credentials", ClientID: e.srv.ClientID, ClientSecret: e.srv.ClientSecret})
		if err != nil || tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 || tok.AccessToken == "" {
			t.Fatalf("token %+v, %v", tok, err)
		}
		_, err = c.Auth.GetAccessToken(ctx, gen.TokenRequest{GrantType: "client_credentials", ClientID: e.srv.ClientID, ClientSecret: "wrong"})
		var apiErr *api.APIError
		if !errors.As(err, &apiErr) || apiErr.HTTPStatus != 401 || apiErr.Code != "invalid_client" {
			t.Errorf("wrong secret: %v", err)
		}
	})

	var code string
	t.Run("Customers", func(t *testing.T) {
		raw := must[json.RawMessage](t)(c.Customers.CreateOrUpdateCustomer(ctx, gen.CustomerRequest{
			CustomerName: "Lanna Tea Co.", CustomerState: 3, CustomerEmail: "sales@lanna.example",
			Owners: []string{"00004"}, Contacts: []gen.CustomerContact{{ContactName: "Somchai"}},
		}))
		code = decode[map[string]string](t, raw)["customerCode"]
		cu := must[*gen.Customer](t)(c.Customers.GetCustomerByCode(ctx, code))
		if cu.CustomerName != "Lanna Tea Co." || cu.CustomerEmail != "sales@lanna.example" || cu.PrimaryOwner != "00004" || len(cu.Contact) != 1 {
			t.Errorf("read back %+v", cu)
		}
		must[json.RawMessage](t)(c.Customers.CreateOrUpdateCustomer(ctx, gen.CustomerRequest{CustomerCode: code, CustomerName: "Lanna Tea Company", CustomerState: 3}))
		if cu := must[*gen.Customer](t)(c.Customers.GetCustomerByCode(ctx, code)); cu.CustomerName != "Lanna Tea Company" {
			t.Errorf("after update: %q", cu.CustomerName)
		}
		_, err := c.Customers.GetCustomerByCode(ctx, "C999999")
		if !errors.Is(err, api.ErrNotFound) {
			t.Errorf("unknown customer: %v", err)
		}
		must[json.RawMessage](t)(c.Customers.CreateCustomerSatisfaction(ctx, gen.CustomerSatisfactionRequest{
			SourceName: "NPS [Venio]", SourceType: 2, Point: 10, CustomerCode: code, DateCreated: when(t, "2026-06-05 10:00:00")}))
		if s := e.srv.Satisfactions(); len(s) != 1 || s[0].CustomerCode != code {
			t.Errorf("satisfactions %+v", s)
		}
		types := must[[]gen.CustomerEventType](t)(c.Customers.GetCustomerEventTypes(ctx))
		if len(types) != 6 {
			t.Errorf("event types %+v", types)
		}
		for i, d := range []string{"2026-01-10T10:00:00", "2026-02-20T09:00:00"} {
			if err := c.Customers.AddCustomerEvent(ctx, gen.CustomerEventRequest{EventName: fmt.Sprint("Meeting ", i+1),
				EventType: types[i].EventTypeID, EventDate: when(t, d), CustomerCode: code}); err != nil {
				t.Fatal(err)
			}
		}
		evs := must[[]gen.CustomerEvent](t)(c.Customers.GetCustomerEvents(ctx, &gen.GetCustomerEventsParams{CustomerCode: code}, gen.CustomerEventFilterRequest{}))
		if len(evs) != 2 || evs[1].EventName != "Meeting 2" {
			t.Fatalf("events %+v", evs)
		}
		feb := must[[]gen.CustomerEvent](t)(c.Customers.GetCustomerEvents(ctx, &gen.GetCustomerEventsParams{CustomerCode: code},
			gen.CustomerEventFilterRequest{DateFrom: when(t, "2026-02-01T00:00:00"), DateTo: when(t, "2026-02-28T23:59:59")}))
		if len(feb) != 1 {
			t.Errorf("February events %+v", feb)
		}
		ev := must[*gen.CustomerEvent](t)(c.Customers.EditCustomerEvent(ctx, evs[0].EventID, gen.CustomerEventUpdateRequest{EventName: "Updated Meeting"}))
		if ev.EventName != "Updated Meeting" || ev.EventID != evs[0].EventID {
			t.Errorf("edited %+v", ev)
		}
	})

	t.Run("Cases", func(t *testing.T) {
		res := must[*gen.CaseFeedbackResult](t)(c.Cases.AddCase(ctx, gen.CaseAddRequest{
			CaseType: 1, Subject: "Printer broken", CustomerCode: code, CategoryID: 2140016585,
			DateCase: when(t, "2026-06-05T10:00:00"), DateDue: when(t, "2026-06-06T10:00:00"), AssignedToUserID: "6d473b8f-a6b3-4536-b1e6-f4b7688414e2",
		}))
		fid, _ := res.Data.FeedbackID.Int64()
		cs := e.srv.Cases()
		if len(cs) != 1 || cs[0].FeedbackID != fid || cs[0].CaseNo != "T260600001" {
			t.Fatalf("cases %+v", cs)
		}
		must[json.RawMessage](t)(c.Cases.EditCase(ctx, cs[0].CaseNo, gen.CaseEditRequest{Subject: "Printer fixed", CategoryID: 1,
			DateCase: cs[0].DateCase, DateDue: cs[0].DateDue, AssignedToUserID: cs[0].AssignedToUserID}))
		if got, _ := e.srv.Case(cs[0].CaseNo); got.Subject != "Printer fixed" {
			t.Errorf("after edit %+v", got)
		}
	})

	t.Run("Contracts", func(t *testing.T) {
		raw := must[json.RawMessage](t)(c.Contracts.CreateOrUpdateContract(ctx, gen.ContractRequest{
			ContractName: "Support 2026", ContractType: "MA", CustomerCode: code, ContractValue: ptr(float64(2000)),
			DateStart: when(t, "2026-06-18 00:00:00"), DateEnd: when(t, "2027-06-18 00:00:00"), Owner: "UAT007",
		}))
		no := decode[map[string]string](t, raw)["contractNo"]
		k := must[*gen.Contract](t)(c.Contracts.GetContractByNo(ctx, no))
		if k.ContractNo != "CONT260600001" || k.ContractName != "Support 2026" || k.CustomerName != "Lanna Tea Company" || len(k.ContractServices) != 0 {
			t.Errorf("contract %+v", k)
		}
		sa := must[json.RawMessage](t)(c.Contracts.CreateOrUpdateContractServiceAgreement(ctx, gen.ContractServiceAgreementRequest{
			ContractNo: no, Subject: "Quarterly check", Frequency: 260002, NumberOfTimes: 4}))
		if got := decode[map[string]any](t, sa); got["subject"] != "Quarterly check" {
			t.Errorf("agreement %s", sa)
		}
		if k := must[*gen.Contract](t)(c.Contracts.GetContractByNo(ctx, no)); len(k.ContractServices) != 1 {
			t.Errorf("services %+v", k.ContractServices)
		}
	})

	t.Run("Conversations", func(t *testing.T) {
		raw := must[json.RawMessage](t)(c.Conversations.ConversationEnquiry(ctx, gen.ConversationEnquiryRequest{}))
		if string(raw) != "[]" {
			t.Errorf("conversations %s", raw)
		}
	})

	t.Run("Deals", func(t *testing.T) {
		raw := must[json.RawMessage](t)(c.Deals.CreateDeal(ctx, gen.DealCreateRequest{CustomerCodes: []string{code}, BoardID: 1,
			DealName: "Fleet renewal", Probability: 20, DealValue: 150000, ExpectedCloseDate: when(t, "2026-07-01T00:00:00+0700"), AssignTo: "00004"}))
		d := decode[struct {
			ID int64  `json:"dealsId"`
			No string `json:"dealNo"`
		}](t, raw)
		res := must[*gen.DealResult](t)(c.Deals.UpdateDeal(ctx, d.ID, gen.DealUpdateRequest{DealName: "Fleet renewal (won)", DealValue: 175000,
			ExpectedCloseDate: when(t, "2026-07-01T00:00:00+0700"), AssignTo: "00004"}))
		if v := res.Value; v.DealsID != d.ID || v.DealNo != d.No || v.DealsName != "Fleet renewal (won)" || v.DealsValue != 175000 {
			t.Errorf("deal %+v", v)
		}
	})

	t.Run("Employees", func(t *testing.T) {
		page := must[*gen.EmployeeListValue](t)(c.Employees.EmployeesEnquiry(ctx, gen.EmployeeEnquiryRequest{PageLength: 10}))
		if len(page.Value) != 10 {
			t.Errorf("page %d", len(page.Value))
		}
		var n int
		for emp, err := range c.Employees.EmployeesEnquiryAll(ctx, gen.EmployeeEnquiryRequest{}, 7) {
			if err != nil {
				t.Fatal(err)
			}
			if emp.StaffCode == "" {
				t.Error("no staff code")
			}
			n++
		}
		if n != 25 || len(e.srv.RequestsFor("employeesEnquiry")) != 1+4 {
			t.Errorf("iterated %d employees in %d requests", n, len(e.srv.RequestsFor("employeesEnquiry"))-1)
		}
	})

	t.Run("Expenses", func(t *testing.T) {
		raw := must[json.RawMessage](t)(c.Expenses.CreateExpense(ctx, gen.ExpenseCreateRequest{ExpenseDetails: []gen.ExpenseDetailInput{
			{ExpenseTypeID: 1001, Amount: 1500, Night: ptr(1)}, {ExpenseTypeID: 1006, Amount: 250.5}}}))
		x := decode[struct {
			ID int64 `json:"expenseId"`
		}](t, raw)
		v := must[*gen.ExpenseValue](t)(c.Expenses.GetExpense(ctx, x.ID))
		if v.Value.Total != 1750.5 || len(v.Value.ExpenseDetails) != 2 {
			t.Errorf("expense %+v", v.Value)
		}
		var details gen.ExpenseUpdateRequest_ExpenseDetails
		_ = details.FromExpenseUpdateRequestExpenseDetails1([]gen.ExpenseDetailInput{{ExpenseTypeID: 1006, Amount: 300}})
		must[json.RawMessage](t)(c.Expenses.UpdateExpense(ctx, fmt.Sprint(x.ID), gen.ExpenseUpdateRequest{Subject: "Bus to Lampang", ExpenseDetails: details}))
		v = must[*gen.ExpenseValue](t)(c.Expenses.GetExpense(ctx, x.ID))
		if v.Value.Subject != "Bus to Lampang" || v.Value.Total != 300 {
			t.Errorf("updated %+v", v.Value)
		}
		list := decode[[]gen.Expense](t, must[json.RawMessage](t)(c.Expenses.ExpenseEnquiry(ctx, gen.ExpenseEnquiryRequest{ExpenseTypeID: 1006})))
		if len(list) != 1 || list[0].ExpenseID != x.ID {
			t.Errorf("enquiry %+v", list)
		}
	})

	t.Run("Products", func(t *testing.T) {
		raw := must[json.RawMessage](t)(c.Products.CreateOrUpdateProducts(ctx, gen.ProductUpsertRequest{Products: []gen.ProductUpsertItem{
			{ProductCode: "TEA-001", ProductName: "Jasmine tea", Category: "Tea", ProductUnitName: "box", Qty: ptr(float64(10)),
				Prices: []gen.ProductPrice{{PriceTierName: "Normal Price", RegularPrice: 120}}, TrackInventory: true, Visibility: true, Active: true}}}))
		ticket := decode[struct {
			ID int64 `json:"ticketId"`
		}](t, raw)
		tk := decode[map[string]any](t, must[json.RawMessage](t)(c.Products.GetProductTicket(ctx, ticket.ID)))
		if fmt.Sprint(tk["productCodes"]) != "[TEA-001]" {
			t.Errorf("ticket %v", tk)
		}
		p := must[*gen.ProductDetail](t)(c.Products.GetProductByCode(ctx, "TEA-001"))
		if p.ProductCode != "TEA-001" {
			t.Errorf("product %+v", p)
		}
		res := must[[]gen.ProductStockResult](t)(c.Products.UpdateProductStock(ctx, gen.ProductStockUpdateRequest{{ProductCode: "TEA-001", Qty: 42}}))
		if len(res) != 1 || !res[0].IsSuccess {
			t.Errorf("stock %+v", res)
		}
		if rec, _ := e.srv.Product("TEA-001"); rec.Qty != 42 {
			t.Errorf("qty %d", rec.Qty)
		}
		// Page through every active product, 4 at a time.
		var req gen.ProductFilterRequest
		_ = json.Unmarshal([]byte(`{"productType":1301,"status":[1],"take":0}`), &req)
		var codes []string
		for item, err := range c.Products.GetProductsByFilterAll(ctx, req, 4) {
			if err != nil {
				t.Fatal(err)
			}
			codes = append(codes, decode[map[string]any](t, item)["productCode"].(string))
		}
		var active int
		for _, code := range e.srv.ProductCodes() {
			if rec, _ := e.srv.Product(code); rec.Item.Active {
				active++
			}
		}
		if len(codes) != active || codes[len(codes)-1] != "TEA-001" {
			t.Errorf("paged %d of %d active products: %v", len(codes), active, codes)
		}
		first := decode[[]json.RawMessage](t, must[json.RawMessage](t)(c.Products.GetProductsWithTakeAndStatus(ctx, gen.ProductTakeStatusRequest{Take: 2, Status: []int{1}})))
		if len(first) != 2 {
			t.Errorf("take 2: %d", len(first))
		}
		must[json.RawMessage](t)(c.Products.VerifySerialNumber(ctx, gen.ProductSerialVerificationRequest{SerialNumber: "SN-1", CustomerCode: code, PurchaseDate: when(t, "2026-06-01")}))
		serials := decode[[]map[string]any](t, must[json.RawMessage](t)(c.Products.GetSerialStatus(ctx)))
		if len(serials) != 1 {
			t.Errorf("serials %v", serials)
		}
		units := decode[[]string](t, must[json.RawMessage](t)(c.Products.GetProductUnits(ctx)))
		if len(units) == 0 {
			t.Error("no units")
		}
	})

	t.Run("Quotations and SalesOrders", func(t *testing.T) {
		var nos []string
		for i := range 5 {
			raw := must[json.RawMessage](t)(c.Quotations.CreateOrUpdateQuotation(ctx, gen.QuotationRequest{
				QuotationSubject: fmt.Sprint("Offer ", i), QuotationDate: when(t, "2026-06-05"), QuotationValidUntil: when(t, "2026-07-05"),
				QuotationStatus: 2, CustomerCode: code, StaffCode: "00004", VatCalculation: true,
				QuotationDetails: []gen.QuotationRequestLine{{ProductCode: "PD002", Qty: 2, VatTaxValue: ptr(7.0)}},
			}))
			nos = append(nos, decode[map[string]string](t, raw)["quotationNo"])
		}
		q := must[*gen.Quotation](t)(c.Quotations.GetQuotation(ctx, nos[0]))
		if q.QuotationNo != "Q06260000001" || q.SubTotal != 1600 {
			t.Errorf("quotation %+v", q)
		}
		var paged []string
		for item, err := range c.Quotations.QuotationEnquiryAll(ctx, gen.QuotationEnquiryRequest{CustomerCode: code}, 2) {
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, decode[gen.Quotation](t, item).QuotationNo)
		}
		if fmt.Sprint(paged) != fmt.Sprint(nos) {
			t.Errorf("paged %v, want %v", paged, nos)
		}
		one := decode[[]gen.Quotation](t, must[json.RawMessage](t)(c.Quotations.QuotationEnquiry(ctx, gen.QuotationEnquiryRequest{Take: 1, Skip: 4})))
		if len(one) != 1 || one[0].QuotationNo != nos[4] {
			t.Errorf("skip 4: %+v", one)
		}
		conv := decode[map[string]string](t, must[json.RawMessage](t)(c.Quotations.ConvertQuotationToSalesOrder(ctx, nos[0], gen.QuotationConvertRequest{QuotationNo: nos[0]})))
		soNo := conv["salesOrderNo"]
		so := must[*gen.SalesOrder](t)(c.SalesOrders.GetSalesOrder(ctx, soNo))
		if so.SalesOrderNo != "SO260600001" || so.ReferenceNo != nos[0] || so.GrandTotal != 1712 {
			t.Fatalf("converted order %+v", so)
		}

		raw := must[json.RawMessage](t)(c.SalesOrders.CreateOrUpdateSalesOrder(ctx, gen.SalesOrderRequest{SalesOrderSubject: "Direct", CustomerCode: code,
			SalesOrderDate: when(t, "2026-06-05"), VatCalculation: false, SalesOrderDetails: []gen.SalesOrderRequestLine{{ProductCode: "PD001", Qty: ptr(2.0)}}}))
		created := decode[struct {
			No string `json:"salesOrderNo"`
			ID int64  `json:"salesOrderId"`
		}](t, raw)
		must[json.RawMessage](t)(c.SalesOrders.CreateOrUpdateSalesOrder(ctx, gen.SalesOrderRequest{SalesOrderNo: created.No, SalesOrderSubject: "Direct (edited)",
			CustomerCode: code, SalesOrderDate: when(t, "2026-06-06")}))
		paid, err := c.SalesOrders.UpdateSalesOrderPayment(ctx, created.No, gen.SalesOrderPaymentRequest{Payments: []gen.SalesOrderPaymentItem{{PeriodNo: 1, Status: 2}}})
		if err != nil || !paid {
			t.Fatalf("payment %v %v", paid, err)
		}
		so = must[*gen.SalesOrder](t)(c.SalesOrders.GetSalesOrder(ctx, created.No))
		if so.SalesOrderSubject != "Direct (edited)" || so.Payment.SchedulePayments[0].Status != 2 {
			t.Errorf("edited order %+v", so)
		}
		rej := must[*gen.SalesOrderRejectEnvelope](t)(c.SalesOrders.RejectSalesOrders(ctx, gen.SalesOrderRejectRequest{SalesOrderIds: []int64{created.ID}, Reason: "duplicate"}))
		if rej.StatusCode != 1000 {
			t.Errorf("reject %+v", rej)
		}
		if o, _ := e.srv.SalesOrder(created.No); o.SalesOrderStatus != 4 {
			t.Errorf("status %d", o.SalesOrderStatus)
		}
	})

	t.Run("Settings", func(t *testing.T) {
		raw := must[json.RawMessage](t)(c.Settings.GetHeaderTemplate(ctx))
		if len(decode[[]map[string]any](t, raw)) == 0 {
			t.Errorf("templates %s", raw)
		}
	})

	served := map[string]bool{}
	for _, r := range e.srv.Requests() {
		if r.Status/100 == 2 {
			served[r.OperationID] = true
		}
	}
	var missing []string
	for path, item := range spec.MustLoad().Paths.Map() {
		for method, op := range item.Operations() {
			if !served[op.OperationID] {
				missing = append(missing, method+" "+path+" "+op.OperationID)
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("operations not driven through the wrapper: %v", missing)
	}
}

// TestBusinessErrors: the fake's 400 envelope and the gateway's 401 reach the caller as typed
// errors with the problems listed.
func TestBusinessErrors(t *testing.T) {
	e := setup(t, nil)
	_, err := e.c.Customers.CreateCustomerSatisfaction(t.Context(), gen.CustomerSatisfactionRequest{
		SourceName: "CSAT", SourceType: 1, Point: 9, CustomerCode: "C000001", DateCreated: wire.NewTime(fixed, wire.LayoutSpace)})
	var apiErr *api.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, api.ErrBadRequest) || apiErr.Code != "4001" || apiErr.OperationID != "createCustomerSatisfaction" {
		t.Fatalf("err = %v", err)
	}
	bad, err := api.New(api.WithBaseURL(e.srv.URL), api.WithHTTPClient(e.net), api.WithCredentials(e.srv.ClientID, e.srv.ClientSecret), api.WithSubscriptionKey("wrong-key"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.Customers.GetCustomerByCode(t.Context(), "C000001")
	if !errors.Is(err, api.ErrUnauthorized) {
		t.Errorf("wrong key: %v", err)
	}
}
