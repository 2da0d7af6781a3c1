package gofivetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gofive-go/gofive/gen"
)

type productRec struct {
	item   gen.ProductUpsertItem // for a variant: built from the variant and its parent
	qty    int
	parent string // the parent product's name, for a variant
}

// Documented product codes that the fake seeds so that the documented examples work:
// the vendor sample's 10001, Update Product Stock's A001–A003, the quotation example's
// AB00025dddd.
var documentedProducts = []string{"10001", "A001", "A002", "A003", "AB00025dddd"}

// putProduct stores one product (variants of a multi-SKU item are stored as products of
// their own) and returns the stored codes.
func (s *store) putProduct(item gen.ProductUpsertItem, parent string) []string {
	var codes []string
	if code := item.ProductCode; code != "" {
		rec := s.products[code]
		if rec == nil {
			rec = &productRec{}
			s.products[code] = rec
			s.productOrder = append(s.productOrder, code)
		}
		rec.item = clone(item)
		rec.item.ProductVariant = nil
		rec.qty = int(or(item.Qty, float64(rec.qty)))
		rec.parent = parent
		codes = append(codes, code)
	}
	for _, v := range item.ProductVariant {
		vi := gen.ProductUpsertItem{
			ProductCode: v.ProductCode, ProductName: v.ProductName,
			ProductBarcode: v.ProductBarcode, ProductDescription: v.ProductDescription,
			Cost: v.Cost, ProductImage: v.ProductImage, Qty: v.Qty, LowStockAlert: v.LowStockAlert,
			Category: item.Category, SubCategory: item.SubCategory, SubSubCategory: item.SubSubCategory,
			ProductUnitName: item.ProductUnitName, TrackInventory: item.TrackInventory,
			UseWarranty: item.UseWarranty, Visibility: item.Visibility, Active: item.Active,
		}
		if v.Active != nil {
			vi.Active = v.Active.Bool()
		}
		for _, p := range v.Prices {
			vat := p.VatValue
			if vat == nil {
				vat = p.Vat
			}
			vi.Prices = append(vi.Prices, gen.ProductPrice{
				PriceTierName: p.PriceTierName, RegularPrice: deref(p.RegularPrice),
				SalePrice: p.SalePrice, VatValue: vat, UseDefaultVat: p.UseDefaultVat,
			})
		}
		codes = append(codes, s.putProduct(vi, item.ProductName)...)
	}
	return codes
}

func (r *productRec) active() bool { return r.item.Active }

func (r *productRec) price() float64 {
	if len(r.item.Prices) > 0 {
		return r.item.Prices[0].RegularPrice
	}
	return 0
}

// detail is a product as the fake shows it: Get a Product by ProductCode documents only
// productCode and productBarcode (the object is open, INFERRED to mirror an upsert item);
// the fake sends the stored item's fields with the current qty.
func (r *productRec) detail() map[string]any {
	b, _ := json.Marshal(r.item)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	m["qty"] = r.qty
	if r.parent != "" {
		m["parentProductName"] = r.parent
	}
	return m
}

// createOrUpdateProducts: POST /v3/Products. Each product (and each variant) is created or
// updated by its code; productUnitName must be one of the server's units (as the vendor
// sample says units are not created on the fly). The response body is not documented; the
// fake answers {"status":…,"data":{"ticketId":…,"productCodes":[…]}}, the ticket being
// readable with Get a Product Ticket.
func createOrUpdateProducts(s *store, c *call) response {
	var req gen.ProductUpsertRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	var problems []string
	for i, p := range req.Products {
		if !slices.Contains(s.units, p.ProductUnitName) {
			problems = append(problems, fmt.Sprintf("products[%d]: unit %q does not exist (units: %s)", i, p.ProductUnitName, strings.Join(s.units, ", ")))
		}
		if p.ProductCode == "" && len(p.ProductVariant) == 0 {
			problems = append(problems, fmt.Sprintf("products[%d]: productCode is required when there are no variants", i))
		}
	}
	if len(problems) > 0 {
		return businessErrors(problems)
	}
	codes := []string{}
	for _, p := range req.Products {
		codes = append(codes, s.putProduct(p, "")...)
	}
	s.ticketID++
	s.tickets[s.ticketID] = codes
	return ok(map[string]any{"ticketId": s.ticketID, "productCodes": codes})
}

// businessErrors answers 400 with 4001 (one problem) or 4002 (several), listing them in data.
func businessErrors(problems []string) response {
	code, desc := "4001", problems[0]
	if len(problems) > 1 {
		code, desc = "4002", fmt.Sprintf("%d problems in the request", len(problems))
	}
	return jsonResponse(http.StatusBadRequest, envelope(400, code, desc, problems))
}

// getProductTicket: GET /tickets/{id}. What a ticket is, is not documented; the fake's
// tickets are its Create Or Update Products batches: data {"ticketId":…,"productCodes":[…]}.
func getProductTicket(s *store, c *call) response {
	id, _ := strconv.ParseInt(c.param("id"), 10, 64)
	codes, found := s.tickets[id]
	if !found {
		return notFound("ticket %d not found", id)
	}
	return ok(map[string]any{"ticketId": id, "productCodes": slices.Clone(codes)})
}

// getProductByCode: GET /v2/products/{productCode}.
func getProductByCode(s *store, c *call) response {
	rec := s.products[c.param("productCode")]
	if rec == nil {
		return notFound("product %s not found", c.param("productCode"))
	}
	return ok(rec.detail())
}

// getProductsWithTakeAndStatus: POST /v2/Products/GetProduct. The first take products whose
// status (0 inactive, 1 active) is listed; data is an array of product objects (the fake's
// guess: the response is not documented).
func getProductsWithTakeAndStatus(s *store, c *call) response {
	var req gen.ProductTakeStatusRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	var hits []map[string]any
	for _, code := range s.productOrder {
		rec := s.products[code]
		st := 0
		if rec.active() {
			st = 1
		}
		if slices.Contains(req.Status, st) {
			hits = append(hits, rec.detail())
		}
	}
	return ok(page(hits, 0, req.Take))
}

// getProductsByFilter: POST /v1/products/getProduct. Pages with take/skip through the
// products matching status (integers 0/1 or the legacy booleans) and smartSearch (code or
// name); orderBy "productName" or "productCode" sorts. data is an array of product objects
// (the fake's guess: the response is not documented).
func getProductsByFilter(s *store, c *call) response {
	var req struct {
		Status      []any   `json:"status"`
		Skip        *int    `json:"skip"`
		Take        int     `json:"take"`
		SmartSearch *string `json:"smartSearch"`
		OrderBy     *string `json:"orderBy"`
	}
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	wantActive, wantInactive := false, false
	for _, v := range req.Status {
		switch v {
		case true, float64(1):
			wantActive = true
		case false, float64(0):
			wantInactive = true
		}
	}
	codes := slices.Clone(s.productOrder)
	switch deref(req.OrderBy) {
	case "productName":
		slices.SortStableFunc(codes, func(a, b string) int {
			return strings.Compare(s.products[a].item.ProductName, s.products[b].item.ProductName)
		})
	case "productCode":
		slices.Sort(codes)
	}
	var hits []map[string]any
	for _, code := range codes {
		rec := s.products[code]
		if (rec.active() && !wantActive) || (!rec.active() && !wantInactive) {
			continue
		}
		if q := deref(req.SmartSearch); q != "" && !containsFold(code+" "+rec.item.ProductName, q) {
			continue
		}
		hits = append(hits, rec.detail())
	}
	return ok(page(hits, or(req.Skip, 0), req.Take))
}

// updateProductStock: PUT /v1/products/stock. Sets each product's stock to qty (whether the
// real API sets or adds is not documented) and answers the documented per-item results.
func updateProductStock(s *store, c *call) response {
	var req gen.ProductStockUpdateRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	results := []gen.ProductStockResult{}
	for _, it := range req {
		r := gen.ProductStockResult{ProductCode: it.ProductCode, Qty: it.Qty}
		if rec := s.products[it.ProductCode]; rec != nil {
			rec.qty = int(it.Qty)
			r.IsSuccess = true
		} else {
			r.IsSuccess = false
			r.Error = map[string]any{"message": "product " + it.ProductCode + " not found"}
		}
		results = append(results, r)
	}
	return jsonResponse(http.StatusOK, gen.ProductStockResultListEnvelope{
		Data: results, StatusCode: 1000, HTTPStatusCode: http.StatusOK,
	})
}

// verifySerialNumber: POST /v3/products/serials/verification. Registers the serial number;
// either CustomerCode or CustomerName is required (documented) and a serial number registers
// once. The response body is not documented; the fake answers data {"SerialNumber":…}.
func verifySerialNumber(s *store, c *call) response {
	var req gen.ProductSerialVerificationRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	if req.CustomerCode == "" && req.CustomerName == "" {
		return badRequest("CustomerCode or CustomerName is required")
	}
	for _, r := range s.serials {
		if r.SerialNumber == req.SerialNumber {
			return badRequest("serial number %s is already registered", req.SerialNumber)
		}
	}
	s.serials = append(s.serials, req)
	return ok(map[string]any{"SerialNumber": req.SerialNumber})
}

// getSerialStatus: GET /v3/Products/serials/status. Nothing about it is documented but the
// path; the fake lists the registered serial numbers.
func getSerialStatus(s *store, _ *call) response {
	return ok(nonNil(clone(s.serials)))
}

// getProductUnits: GET /v1/products/units. Not documented beyond the path; the fake lists its
// unit names (the ones Create Or Update Products accepts).
func getProductUnits(s *store, _ *call) response {
	return ok(slices.Clone(s.units))
}
