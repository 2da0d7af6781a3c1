package gofivetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"

	"github.com/gofive-go/gofive/api/wire"
	"github.com/gofive-go/gofive/gen"
)

type orderRec struct {
	so       gen.SalesOrder
	payments map[int]int // installment number → status (1 unpaid, 2 paid: INFERRED)
	reason   string      // rejection reason
}

// asDateTime renders a request date (often YYYY-MM-DD) in the response form
// 2026-06-05T00:00:00+0700; placeholders are kept verbatim.
func asDateTime(t wire.Time) wire.Time {
	if !t.Valid() {
		return t
	}
	return wire.NewTime(t.Time().In(wire.Bangkok()), wire.LayoutOffsetNoColon)
}

// putOrder creates or updates a sales order and returns its number. An empty salesOrderNo
// creates one (SO + year and month + sequence, e.g. SO260600001); a known one updates it
// (its customer cannot change); an unknown one creates it under that number.
func (s *store) putOrder(req gen.SalesOrderRequest) (string, error) {
	no := req.SalesOrderNo
	rec := s.orders[no]
	if rec != nil && rec.so.CustomerCode != req.CustomerCode {
		return "", fmt.Errorf("customerCode cannot be changed on update (order %s belongs to %s)", no, rec.so.CustomerCode)
	}
	if st := req.SalesOrderStatus; req.SalesOrderStatus != 0 && (st < 1 || st > 5) {
		return "", fmt.Errorf("salesOrderStatus must be 1–5, got %d", st)
	}
	var lines []line
	var out []gen.SalesOrderLine
	for i, d := range req.SalesOrderDetails {
		if s.products[d.ProductCode] == nil {
			return "", fmt.Errorf("salesOrderDetails[%d]: product %s not found", i, d.ProductCode)
		}
		l := s.fill(line{code: d.ProductCode, name: d.ProductName, unit: d.ProductUnitName,
			desc: d.ProductDescription, price: deref(d.Price), qty: float64(or(d.Qty, 1)),
			discountType: d.DiscountType, discountValue: d.DiscountValue, vat: d.VatTaxValue})
		lines = append(lines, l)
		out = append(out, gen.SalesOrderLine{
			ProductCode: l.code, ProductName: l.name, Price: l.price, Qty: l.qty,
			ProductUnitName: l.unit, ProductDescription: l.desc,
			DiscountValue: deref(d.DiscountValue), DiscountType: deref(d.DiscountType),
			VatTaxValue: deref(d.VatTaxValue), WhtTaxValue: deref(d.WhtTaxValue),
			TotalPrice: l.total(), UnitID: int64(0), IsShipping: true,
			WarehouseCode: "WHGENERAL",
		})
	}
	if rec == nil {
		if no == "" {
			no = s.number("SO", s.yymm(), 5)
		}
		s.orderID++
		rec = &orderRec{payments: map[int]int{1: 1}, so: gen.SalesOrder{
			SalesOrderNo: no, SalesOrderID: s.orderID, SalesOrderStatus: 1,
			WarehouseCode: "WHGENERAL", CurrencyCode: "THB",
		}}
		s.orders[no] = rec
		s.orderOrder = append(s.orderOrder, no)
		s.orderByID[s.orderID] = no
	}
	sub, withDiscount, vat := totals(lines, req.DiscountType, req.DiscountValue)
	grand := withDiscount
	if req.VatCalculation { // prices exclude VAT
		grand += vat
	}
	o := &rec.so
	o.SalesOrderSubject = req.SalesOrderSubject
	o.CustomerCode = req.CustomerCode
	o.CustomerID = s.idOf(req.CustomerCode)
	o.SalesOrderDate = asDateTime(req.SalesOrderDate)
	o.VatCalculation = req.VatCalculation
	if req.SalesOrderDetails != nil {
		o.SalesOrderDetails = out
	}
	o.SubTotal, o.SubTotalWithDiscount, o.TotalVat, o.GrandTotal = sub, withDiscount, vat, round2(grand)
	setv(&o.SalesOrderStatus, req.SalesOrderStatus)
	setv(&o.StaffCode, req.StaffCode)
	setv(&o.ReferenceNo, req.ReferenceNo)
	setv(&o.ContactID, req.ContactID)
	setv(&o.CurrencyCode, req.CurrencyCode)
	setv(&o.DiscountName, req.DiscountName)
	set(&o.DiscountType, req.DiscountType)
	set(&o.DiscountValue, req.DiscountValue)
	setv(&o.HeaderTemplateID, req.HeaderTemplateID)
	setv(&o.PaymentTerm, req.PaymentTerm)
	setv(&o.RecipientName, req.RecipientName)
	setv(&o.RecipientAddress, req.RecipientAddress)
	setv(&o.Remark, req.Remark)
	setv(&o.SalesOrderNote, req.SalesOrderNote)
	if o.RecipientName != "" || o.RecipientAddress != "" {
		o.Recipient = gen.SalesOrderRecipient{Name: o.RecipientName, Address: o.RecipientAddress}
	}
	return no, nil
}

// view is the order as Get a SalesOrder answers it, with its payment plan.
func (r *orderRec) view() gen.SalesOrder {
	so := clone(r.so)
	keys := make([]int, 0, len(r.payments))
	for k := range r.payments {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	pay := gen.SalesOrderPaymentInfo{ValueType: 1, SchedulePayments: []gen.SalesOrderSchedulePayment{}}
	for _, k := range keys {
		pay.SchedulePayments = append(pay.SchedulePayments, gen.SalesOrderSchedulePayment{InstallmentNumber: k, Status: r.payments[k]})
	}
	so.Payment = pay
	return so
}

// createOrUpdateSalesOrder: POST /v2/salesorder. Lines must name known products. The response
// body is not documented; the fake answers
// {"status":…,"data":{"salesOrderNo":…,"salesOrderId":…}}.
func createOrUpdateSalesOrder(s *store, c *call) response {
	var req gen.SalesOrderRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	no, err := s.putOrder(req)
	if err != nil {
		return badRequest("%v", err)
	}
	return ok(map[string]any{"salesOrderNo": no, "salesOrderId": s.orders[no].so.SalesOrderID})
}

// getSalesOrder: GET /v2/salesorder/{salesOrderNo}; data is one order (the docs schema's
// form; one docs example shows an array).
func getSalesOrder(s *store, c *call) response {
	rec := s.orders[c.param("salesOrderNo")]
	if rec == nil {
		return notFound("sales order %s not found", c.param("salesOrderNo"))
	}
	return jsonResponse(http.StatusOK, struct {
		Status gen.Status     `json:"status"`
		Data   gen.SalesOrder `json:"data"`
	}{successStatus(), rec.view()})
}

// rejectSalesOrders: DELETE /v1/salesorders/reject with a JSON body. Rejects (status 4) every
// listed order; if one id is unknown nothing changes and the answer is 400 with the
// documented variant {"statusCode":4001,"httpStatusCode":400}.
func rejectSalesOrders(s *store, c *call) response {
	var req gen.SalesOrderRejectRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	for _, id := range req.SalesOrderIds {
		if _, known := s.orderByID[id]; !known {
			b, _ := json.Marshal(map[string]any{"statusCode": 4001, "httpStatusCode": 400,
				"message": fmt.Sprintf("sales order id %d not found", id)})
			return response{status: http.StatusBadRequest, body: b, contentType: "application/json; charset=utf-8"}
		}
	}
	for _, id := range req.SalesOrderIds {
		rec := s.orders[s.orderByID[id]]
		rec.so.SalesOrderStatus = 4
		rec.reason = req.Reason
	}
	return jsonResponse(http.StatusOK, gen.SalesOrderRejectEnvelope{StatusCode: 1000, HTTPStatusCode: http.StatusOK})
}

// updateSalesOrderPayment: PUT /v2/salesorder/{salesOrderNo}/payment. Each item names its
// installment as InstallmentNumber or periodNo and sets status 1 or 2. Answers the documented
// {"status":…,"data":true}.
func updateSalesOrderPayment(s *store, c *call) response {
	rec := s.orders[c.param("salesOrderNo")]
	if rec == nil {
		return notFound("sales order %s not found", c.param("salesOrderNo"))
	}
	var req gen.SalesOrderPaymentRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	var problems []string
	for i, p := range req.Payments {
		if p.InstallmentNumber == 0 && p.PeriodNo == 0 {
			problems = append(problems, fmt.Sprintf("payments[%d]: InstallmentNumber (or periodNo) is required", i))
		}
		if p.Status != 1 && p.Status != 2 {
			problems = append(problems, fmt.Sprintf("payments[%d]: status must be 1 or 2, got %d", i, p.Status))
		}
	}
	if len(problems) > 0 {
		return businessErrors(problems)
	}
	for _, p := range req.Payments {
		n := p.InstallmentNumber
		if n == 0 {
			n = p.PeriodNo
		}
		rec.payments[n] = p.Status
	}
	return jsonResponse(http.StatusOK, gen.SalesOrderPaymentUpdateEnvelope{Status: successStatus(), Data: true})
}
