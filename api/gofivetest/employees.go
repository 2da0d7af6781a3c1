package gofivetest

import (
	"net/http"
	"strings"

	"github.com/gofive-go/gofive/gen"
)

// employeesEnquiry: POST /v1/Employees/Enquiry. keyWord matches the full name or the staff
// code (case-insensitively); skip/pageLength page through the result (pageLength defaults to
// 20). Answers the documented {data:{value:[…]}} with no status object.
func employeesEnquiry(s *store, c *call) response {
	var req gen.EmployeeEnquiryRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	kw := strings.TrimSpace(req.KeyWord)
	var hits []gen.EmployeeEnquiryItem
	for _, e := range s.employees {
		if kw == "" || containsFold(e.Fullname, kw) || containsFold(e.StaffCode, kw) {
			hits = append(hits, e)
		}
	}
	items := page(hits, req.Skip, orv(req.PageLength, 20))
	return jsonResponse(http.StatusOK, gen.EmployeeListEnvelope{Data: gen.EmployeeListValue{Value: clone(items)}})
}
