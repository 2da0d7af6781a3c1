package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/api/wire"
	"github.com/gofive-go/gofive/gen"
)

const demoUsage = `usage: gofive demo [--yes-write-to-real-api] [credentials flags]

A short tour of the SDK: fetches a token, finds a salesperson and a product, creates a
customer, adds a customer event and lists the events, opens a case, creates a
quotation, converts it to a sales order and reads the sales order back, printing one
line per step. It uses the SDK's typed methods (client.Customers.CreateOrUpdateCustomer,
client.Quotations.ConvertQuotationToSalesOrder, …): see cmd/gofive/demo.go.

Without GOFIVE_* credentials it runs on the built-in fake server. With credentials it
would create real records in that Venio account, so it refuses unless
--yes-write-to-real-api is given (a base URL on this machine, such as gofive fake's,
needs no flag).
`

// demoCaseCategory is the case category id of the docs' Add Case example: the API has no
// recovered operation that lists categories.
const demoCaseCategory = 2140016585

// runDemo is `gofive demo`.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("gofive demo", stderr, func(w io.Writer) { fmt.Fprint(w, demoUsage) })
	var conn connFlags
	conn.register(fs)
	yes := fs.Bool("yes-write-to-real-api", false, "run against the configured (real) API, creating records there")
	pos, err := parseArgs(fs, args, nil)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "gofive demo: unexpected argument %q\n", pos[0])
		return exitUsage
	}
	if conn.configured() {
		_, _, _, base := conn.settings()
		if base == "" {
			base = api.DefaultBaseURL
		}
		if !*yes && !isLoopbackURL(base) {
			fmt.Fprintf(stderr, "gofive demo: refusing to run: GOFIVE_* credentials are set, so the demo would create a customer, "+
				"a customer event, a case, a quotation and a sales order in the Venio account behind %s.\n"+
				"Run `gofive demo --yes-write-to-real-api` if that is what you want, or unset the GOFIVE_* variables "+
				"to run it on the built-in fake server.\n", base)
			return exitUsage
		}
	}
	s, err := conn.open(ctx, "demo", stderr)
	if err != nil {
		fmt.Fprintf(stderr, "gofive demo: %v\n", err)
		return exitCode(err)
	}
	defer s.Close()
	d := &demo{s: s, c: s.client, out: stdout}
	if err := d.run(ctx); err != nil {
		var se *stepError
		if errors.As(err, &se) {
			fmt.Fprintf(stdout, "✗ %s\n", se.step)
			fmt.Fprintf(stderr, "gofive demo: %s\n", describe(se.op, se.err))
			return exitCode(se.err)
		}
		fmt.Fprintf(stderr, "gofive demo: %v\n", err)
		return exitCode(err)
	}
	where := "the API at " + s.baseURL
	if s.fake != nil {
		where = "the built-in fake server; nothing left this machine"
	}
	fmt.Fprintf(stdout, "done: %d steps against %s\n", d.steps, where)
	return exitOK
}

// stepError is a failed demo step: what was being done, the operation and the error.
type stepError struct {
	step, op string
	err      error
}

func (e *stepError) Error() string { return e.step + ": " + e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

type demo struct {
	s     *session
	c     *api.Client
	out   io.Writer
	steps int
}

func (d *demo) ok(format string, args ...any) {
	d.steps++
	fmt.Fprintf(d.out, "✓ "+format+"\n", args...)
}

func fail(step, op string, err error) error { return &stepError{step: step, op: op, err: err} }

func (d *demo) run(ctx context.Context) error {
	c := d.c
	today := now().In(wire.Bangkok())

	// 1. A token, through the generated Auth method (the client also fetches and caches
	// one by itself for every other call).
	tok, err := fetchToken(ctx, d.s)
	if err != nil {
		return fail("get a token", "getAccessToken", err)
	}
	d.ok("got a %s token, valid for %s", tok.TokenType, time.Duration(tok.ExpiresIn)*time.Second)

	// 2. A salesperson to own the customer and the quotation, and to be assigned the case.
	emps, err := c.Employees.EmployeesEnquiry(ctx, gen.EmployeeEnquiryRequest{Skip: 0, PageLength: 1})
	if err != nil {
		return fail("find a salesperson", "employeesEnquiry", err)
	}
	if emps == nil || len(emps.Value) == 0 || emps.Value[0].StaffCode == "" {
		return fail("find a salesperson", "employeesEnquiry", errors.New("the account has no employees"))
	}
	staff := emps.Value[0]
	d.ok("found salesperson %s (%s)", staff.StaffCode, staff.Fullname)

	// 3. An active product to quote.
	raw, err := c.Products.GetProductsWithTakeAndStatus(ctx, gen.ProductTakeStatusRequest{Take: 1, Status: []int{1}})
	if err != nil {
		return fail("find a product", "getProductsWithTakeAndStatus", err)
	}
	var products []struct {
		ProductCode string `json:"productCode"`
		ProductName string `json:"productName"`
	}
	if err := json.Unmarshal(raw, &products); err != nil || len(products) == 0 || products[0].ProductCode == "" {
		return fail("find a product", "getProductsWithTakeAndStatus", fmt.Errorf("no active product in the answer %s", clip(raw)))
	}
	product := products[0]
	d.ok("found product %s (%s)", product.ProductCode, product.ProductName)

	// 4. A customer. The name must be unique in the account.
	name := "Lanna Tea Co."
	if d.s.fake == nil {
		name += " (gofive demo " + today.Format("2006-01-02 15:04:05") + ")"
	}
	raw, err = c.Customers.CreateOrUpdateCustomer(ctx, gen.CustomerRequest{
		CustomerName:  name,
		CustomerState: 3, // a customer, not a lead
		CustomerType:  1,
		CustomerEmail: "sales@lanna-tea.example",
		Owners:        []string{staff.StaffCode},
	})
	if err != nil {
		return fail("create a customer", "createOrUpdateCustomer", err)
	}
	customer, found := api.RawString(raw, "customerCode")
	if !found || customer == "" {
		return fail("create a customer", "createOrUpdateCustomer", fmt.Errorf("no customerCode in the answer %s", clip(raw)))
	}
	d.ok("created customer %s (%s)", customer, name)

	// 5. An event on the customer's timeline, then the timeline.
	const eventName = "Kick-off meeting"
	err = c.Customers.AddCustomerEvent(ctx, gen.CustomerEventRequest{
		CustomerCode: customer,
		EventName:    eventName,
		EventType:    2, // "New", from Get Customer Event Types
		EventDate:    wire.NewTime(today.Truncate(time.Second), wire.LayoutLocal),
		Description:  "First meeting about the tea subscription",
	})
	if err != nil {
		return fail("add a customer event", "addCustomerEvent", err)
	}
	d.ok("added event %q to %s", eventName, customer)

	events, err := c.Customers.GetCustomerEvents(ctx, &gen.GetCustomerEventsParams{CustomerCode: customer}, gen.CustomerEventFilterRequest{})
	if err != nil {
		return fail("list the customer's events", "getCustomerEvents", err)
	}
	names := ""
	for i, ev := range events {
		if i > 0 {
			names += ", "
		}
		names += fmt.Sprintf("#%d %q", ev.EventID, ev.EventName)
	}
	d.ok("listed %d event(s) of %s: %s", len(events), customer, names)

	// 6. A case (service ticket) for the customer.
	cs, err := c.Cases.AddCase(ctx, gen.CaseAddRequest{
		CaseType:         1, // Request for Action
		Subject:          "Tea subscription: set up monthly delivery",
		CustomerCode:     customer,
		CategoryID:       demoCaseCategory,
		DateCase:         wire.NewTime(today.Truncate(time.Second), wire.LayoutOffsetNoColon),
		DateDue:          wire.NewTime(today.Truncate(time.Second).Add(72*time.Hour), wire.LayoutOffsetNoColon),
		AssignedToUserID: staff.UserID,
	})
	if err != nil {
		return fail("open a case", "addCase", err)
	}
	d.ok("opened a case for %s, assigned to %s (feedbackId %s)", customer, staff.StaffCode, cs.Data.FeedbackID)

	// 7. A quotation for two of the product, then its conversion to a sales order.
	raw, err = c.Quotations.CreateOrUpdateQuotation(ctx, gen.QuotationRequest{
		CustomerCode:        customer,
		StaffCode:           staff.StaffCode,
		QuotationSubject:    "Tea subscription, first order",
		QuotationDate:       wire.NewTime(today, wire.LayoutDate),
		QuotationValidUntil: wire.NewTime(today.AddDate(0, 0, 30), wire.LayoutDate),
		QuotationStatus:     4, // Sent
		VatCalculation:      true,
		QuotationDetails:    []gen.QuotationRequestLine{{ProductCode: product.ProductCode, Qty: 2}},
	})
	if err != nil {
		return fail("create a quotation", "createOrUpdateQuotation", err)
	}
	quotation, found := api.RawString(raw, "quotationNo")
	if !found || quotation == "" {
		return fail("create a quotation", "createOrUpdateQuotation", fmt.Errorf("no quotationNo in the answer %s", clip(raw)))
	}
	d.ok("created quotation %s for %s: 2 × %s", quotation, customer, product.ProductCode)

	raw, err = c.Quotations.ConvertQuotationToSalesOrder(ctx, quotation, gen.QuotationConvertRequest{QuotationNo: quotation})
	if err != nil {
		return fail("convert the quotation to a sales order", "convertQuotationToSalesOrder", err)
	}
	order, found := api.RawString(raw, "salesOrderNo")
	if !found || order == "" {
		return fail("convert the quotation to a sales order", "convertQuotationToSalesOrder", fmt.Errorf("no salesOrderNo in the answer %s", clip(raw)))
	}
	d.ok("converted quotation %s to sales order %s", quotation, order)

	// 8. The sales order, read back.
	so, err := c.SalesOrders.GetSalesOrder(ctx, order)
	if err != nil {
		return fail("read the sales order back", "getSalesOrder", err)
	}
	summary := fmt.Sprintf("read back sales order %s: %s", so.SalesOrderNo, salesOrderStatus(so.SalesOrderStatus))
	if so.ReferenceNo != "" {
		summary += ", from " + so.ReferenceNo
	}
	summary += fmt.Sprintf(", %d line(s)", len(so.SalesOrderDetails))
	if so.GrandTotal != 0 {
		summary += fmt.Sprintf(", grand total %.2f", so.GrandTotal)
		if so.CurrencyCode != "" {
			summary += " " + so.CurrencyCode
		}
	}
	d.ok("%s", summary)
	return nil
}

func salesOrderStatus(status int) string {
	switch status {
	case 1:
		return "draft"
	case 2:
		return "open"
	case 3:
		return "completed"
	case 4:
		return "rejected"
	case 5:
		return "cancelled"
	}
	return fmt.Sprintf("status %d", status)
}

func clip(raw []byte) string {
	const n = 200
	if len(raw) > n {
		return string(raw[:n]) + "…"
	}
	return string(raw)
}
