package gofivetest

import (
	"math"
	"net/http"
	"strings"

	"github.com/gofive-go/gofive/gen"
)

type quotationRec struct {
	q           gen.Quotation
	referenceNo string
	convertedTo string // the sales order made from it
}

// line is one priced line of a quotation or sales order.
type line struct {
	code, name, unit, desc string
	price, qty             float64
	discountType           *bool
	discountValue, vat     *float64
}

func (l line) total() float64 {
	t := l.price * l.qty
	if l.discountValue != nil {
		if deref(l.discountType) { // percent
			t -= t * *l.discountValue / 100
		} else {
			t -= *l.discountValue
		}
	}
	return round2(t)
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// errAmountsOverflow refuses amounts that the spec accepts (any JSON number) but whose
// products or sums leave float64 (±Inf, NaN): JSON cannot carry those, so storing them made
// every later read of the record panic in json.Marshal.
const errAmountsOverflow = "amounts too large: a line total or a document total is not a finite number"

// finiteAmounts reports whether every line total and the given totals are finite.
func finiteAmounts(lines []line, totals ...float64) bool {
	for _, l := range lines {
		totals = append(totals, l.total())
	}
	for _, f := range totals {
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return false
		}
	}
	return true
}

// totals returns the subtotal, the subtotal after the document discount, and the VAT.
func totals(lines []line, discountType *bool, discountValue *float64) (sub, withDiscount, vat float64) {
	for _, l := range lines {
		sub += l.total()
	}
	withDiscount = sub
	if discountValue != nil {
		if deref(discountType) {
			withDiscount -= sub * *discountValue / 100
		} else {
			withDiscount -= *discountValue
		}
	}
	if sub > 0 {
		for _, l := range lines {
			vat += l.total() * (withDiscount / sub) * deref(l.vat) / 100
		}
	}
	return round2(sub), round2(withDiscount), round2(vat)
}

// fill completes a line from the product catalogue (name, unit, price).
func (s *store) fill(l line) line {
	if p := s.products[l.code]; p != nil {
		if l.name == "" {
			l.name = p.item.ProductName
		}
		if l.unit == "" {
			l.unit = p.item.ProductUnitName
		}
		if l.price == 0 {
			l.price = p.price()
		}
	}
	return l
}

func (s *store) idOf(code string) int64 {
	if rec := s.customers[code]; rec != nil {
		return rec.id
	}
	return 0
}

// findQuotation finds a quotation by number, or else by reference number.
func (s *store) findQuotation(no, ref string) *quotationRec {
	if rec := s.quotations[no]; no != "" && rec != nil {
		return rec
	}
	if ref != "" {
		for _, code := range s.quoteOrder {
			if rec := s.quotations[code]; rec.referenceNo == ref || code == ref {
				return rec
			}
		}
	}
	return nil
}

// createOrUpdateQuotation: POST /v2/quotation. A known quotationNo (or referenceNo, as the
// vendor sample edits) updates that quotation; otherwise one is created, numbered Q + month
// and year + sequence (Q06260000001), or under the quotationNo sent. The response body is not
// documented; the fake answers {"status":…,"data":{"quotationNo":…}}.
func createOrUpdateQuotation(s *store, c *call) response {
	var req gen.QuotationRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	if req.QuotationStatus < 1 || req.QuotationStatus > 7 {
		return badRequest("quotationStatus must be 1–7, got %d", req.QuotationStatus)
	}
	if res, ok := s.checkCustomerExists("quotation", req.CustomerCode); !ok {
		return res
	}
	var lines []line
	details := []map[string]any{}
	for _, d := range req.QuotationDetails {
		l := s.fill(line{code: d.ProductCode, name: d.ProductName, unit: d.ProductUnitName,
			desc: d.ProductDescription, price: deref(d.Price), qty: d.Qty,
			discountType: d.DiscountType, discountValue: d.DiscountValue, vat: d.VatTaxValue})
		lines = append(lines, l)
		// The response's line fields were not recovered; the fake echoes the request's.
		m := map[string]any{"productCode": l.code, "productName": l.name, "price": l.price, "qty": l.qty,
			"productUnitName": l.unit, "totalPrice": l.total()}
		if l.desc != "" {
			m["productDescription"] = l.desc
		}
		if d.DiscountType != nil {
			m["discountType"] = *d.DiscountType
		}
		if d.DiscountValue != nil {
			m["discountValue"] = *d.DiscountValue
		}
		if d.VatTaxValue != nil {
			m["vatTaxValue"] = *d.VatTaxValue
		}
		if d.WhTaxValue != nil {
			m["whTaxValue"] = *d.WhTaxValue
		}
		details = append(details, m)
	}
	sub, withDiscount, vat := totals(lines, req.DiscountType, req.DiscountValue)
	if !finiteAmounts(lines, sub, withDiscount, vat) {
		return badRequest("%s", errAmountsOverflow)
	}
	no, ref := req.QuotationNo, req.ReferenceNo
	rec := s.findQuotation(no, ref)
	if rec == nil {
		if no == "" {
			no = s.number("Q", s.mmyy(), 7)
		}
		rec = &quotationRec{q: gen.Quotation{QuotationNo: no}}
		s.quotations[no] = rec
		s.quoteOrder = append(s.quoteOrder, no)
	}
	if rec.convertedTo != "" {
		return badRequest("quotation %s was converted to sales order %s and cannot change", rec.q.QuotationNo, rec.convertedTo)
	}
	if ref != "" {
		rec.referenceNo = ref
	}
	q := &rec.q
	q.QuotationSubject = req.QuotationSubject
	q.CustomerCode = req.CustomerCode
	q.CustomerID = s.idOf(req.CustomerCode)
	q.QuotationStatus = req.QuotationStatus
	q.QuotationDate = req.QuotationDate
	q.StaffCode = req.StaffCode
	q.VatCalculation = req.VatCalculation
	q.QuotationDetails = details
	q.SubTotal, q.SubTotalWithDiscount = sub, withDiscount
	setv(&q.QuotationNote, req.QuotationNote)
	setv(&q.RecipientName, req.RecipientName)
	setv(&q.RecipientAddress, req.RecipientAddress)
	setv(&q.HeaderTemplateID, req.HeaderTemplateID)
	setv(&q.DiscountName, req.DiscountName)
	set(&q.DiscountType, req.DiscountType)
	set(&q.DiscountValue, req.DiscountValue)
	setv(&q.Remark, req.Remark)
	return ok(map[string]any{"quotationNo": q.QuotationNo})
}

// getQuotation: GET /v1/quotation/{quotationNo}.
func getQuotation(s *store, c *call) response {
	rec := s.quotations[c.param("quotationNo")]
	if rec == nil {
		return notFound("quotation %s not found", c.param("quotationNo"))
	}
	return jsonResponse(http.StatusOK, gen.QuotationEnvelope{Status: successStatus(), Data: clone(rec.q)})
}

// quotationEnquiry: POST /v1/quotation/enquiry. Filters by number, status, staff, customer
// and date (same day), pages with take/skip. The response body is not documented; the fake
// answers data as an array of Get a Quotation's objects.
func quotationEnquiry(s *store, c *call) response {
	var req gen.QuotationEnquiryRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	var hits []gen.Quotation
	for _, no := range s.quoteOrder {
		q := s.quotations[no].q
		switch {
		case req.QuotationNo != "" && req.QuotationNo != no,
			req.QuotationStatus != 0 && req.QuotationStatus != q.QuotationStatus,
			req.StaffCode != "" && req.StaffCode != q.StaffCode,
			req.CustomerCode != "" && req.CustomerCode != q.CustomerCode,
			!req.QuotationDate.IsZero() && !sameDay(req.QuotationDate, q.QuotationDate):
			continue
		}
		hits = append(hits, clone(q))
	}
	return ok(page(hits, req.Skip, req.Take))
}

// convertQuotationToSalesOrder: POST /v1/quotation/{quotationNo}/convert-to-salesorder. The
// body's QuotationNo (or quotationNo) must name the same quotation as the path. Creates an
// open sales order from the quotation's lines and completes the quotation; a quotation
// converts once. The response body is not documented; the fake answers
// {"status":…,"data":{"salesOrderNo":…}}.
func convertQuotationToSalesOrder(s *store, c *call) response {
	no := c.param("quotationNo")
	var req gen.QuotationConvertRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	for _, b := range []string{req.QuotationNo, req.QuotationNoCamelCase} {
		if b != "" && !strings.EqualFold(b, no) {
			return badRequest("the body's quotation number %q differs from the path's %q", b, no)
		}
	}
	rec := s.quotations[no]
	if rec == nil {
		return notFound("quotation %s not found", no)
	}
	switch st := rec.q.QuotationStatus; {
	case rec.convertedTo != "":
		return badRequest("quotation %s was already converted to sales order %s", no, rec.convertedTo)
	case st == 6 || st == 7:
		return badRequest("quotation %s is rejected or cancelled (status %d)", no, st)
	}
	q := rec.q
	so := gen.SalesOrderRequest{
		SalesOrderSubject: q.QuotationSubject,
		CustomerCode:      q.CustomerCode,
		SalesOrderDate:    s.nowTime(),
		SalesOrderStatus:  2,
		StaffCode:         q.StaffCode,
		VatCalculation:    q.VatCalculation,
		ReferenceNo:       no,
		DiscountName:      q.DiscountName,
		DiscountType:      ptr(q.DiscountType),
		DiscountValue:     ptr(q.DiscountValue),
		HeaderTemplateID:  q.HeaderTemplateID,
		RecipientName:     q.RecipientName,
		RecipientAddress:  q.RecipientAddress,
		Remark:            q.Remark,
	}
	for _, d := range q.QuotationDetails {
		l := gen.SalesOrderRequestLine{ProductCode: d["productCode"].(string)}
		if v, ok := d["qty"].(float64); ok {
			l.Qty = ptr(math.Round(v))
		}
		if v, ok := d["price"].(float64); ok {
			l.Price = ptr(v)
		}
		if v, ok := d["productName"].(string); ok {
			l.ProductName = v
		}
		if v, ok := d["discountType"].(bool); ok {
			l.DiscountType = ptr(v)
		}
		if v, ok := d["discountValue"].(float64); ok {
			l.DiscountValue = ptr(v)
		}
		if v, ok := d["vatTaxValue"].(float64); ok {
			l.VatTaxValue = ptr(v)
		}
		so.SalesOrderDetails = append(so.SalesOrderDetails, l)
	}
	order, err := s.putOrder(so)
	if err != nil {
		return badRequest("%v", err)
	}
	rec.convertedTo = order
	rec.q.QuotationStatus = 5 // Completed
	return ok(map[string]any{"salesOrderNo": order})
}
