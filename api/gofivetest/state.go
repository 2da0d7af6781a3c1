package gofivetest

import (
	"errors"

	"github.com/gofive-go/gofive/gen"
)

// The methods below read and seed the server's state directly, for a test's setup and its
// assertions (e.g. for resources the API cannot read back, such as cases). Values returned
// are copies.

// Customer returns the customer with code, as Get a Customer By CustomerCode answers it.
func (s *Server) Customer(code string) (gen.Customer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.store.customers[code]
	if rec == nil {
		return gen.Customer{}, false
	}
	return clone(rec.c), true
}

// CustomerCodes returns the codes of all customers, oldest first (the seeded ones included).
func (s *Server) CustomerCodes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.store.customerOrder...)
}

// PutCustomer creates or updates a customer as Create or Update customer does and returns
// its code.
func (s *Server) PutCustomer(req gen.CustomerRequest) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store.putCustomer(clone(req))
}

// CustomerEvents returns the events of a customer, oldest first.
func (s *Server) CustomerEvents(customerCode string) []gen.CustomerEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []gen.CustomerEvent
	for _, id := range s.store.eventOrder {
		if e := s.store.events[id]; e.code == customerCode {
			out = append(out, clone(e.ev))
		}
	}
	return out
}

// Satisfactions returns the recorded customer-satisfaction answers, oldest first.
func (s *Server) Satisfactions() []gen.CustomerSatisfactionRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return clone(s.store.satisfied)
}

// Case returns the case numbered caseNo.
func (s *Server) Case(caseNo string) (Case, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.store.cases[caseNo]
	if c == nil {
		return Case{}, false
	}
	return clone(*c), true
}

// Cases returns all cases, oldest first.
func (s *Server) Cases() []Case {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Case, 0, len(s.store.caseOrder))
	for _, no := range s.store.caseOrder {
		out = append(out, clone(*s.store.cases[no]))
	}
	return out
}

// Contract returns the contract numbered no, as Get Contract By No answers it.
func (s *Server) Contract(no string) (gen.Contract, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.store.contracts[no]
	if rec == nil {
		return gen.Contract{}, false
	}
	return clone(rec.c), true
}

// Deal returns the deal with id (dealsId).
func (s *Server) Deal(id int64) (DealRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.store.deals[id]
	if d == nil {
		return DealRecord{}, false
	}
	return DealRecord{Deal: s.store.dealView(d), Request: clone(d.Request)}, true
}

// Expense returns the expense with id, as Get a Expense answers it.
func (s *Server) Expense(id int64) (gen.Expense, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.store.expenses[id]
	if rec == nil {
		return gen.Expense{}, false
	}
	return clone(rec.e), true
}

// A ProductRecord is a product held by the server.
type ProductRecord struct {
	// Item holds the product's fields as last sent (a variant's are merged with its parent's).
	Item gen.ProductUpsertItem
	// Qty is the current stock.
	Qty int
}

// Product returns the product with code.
func (s *Server) Product(code string) (ProductRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.store.products[code]
	if rec == nil {
		return ProductRecord{}, false
	}
	return ProductRecord{Item: clone(rec.item), Qty: rec.qty}, true
}

// ProductCodes returns the codes of all products, oldest first (the seeded ones included).
func (s *Server) ProductCodes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.store.productOrder...)
}

// PutProduct creates or updates a product (and its variants) without the unit check of
// Create Or Update Products.
func (s *Server) PutProduct(item gen.ProductUpsertItem) error {
	if item.ProductCode == "" && len(item.ProductVariant) == 0 {
		return errors.New("gofivetest: a product needs a productCode or variants")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store.putProduct(clone(item), "")
	return nil
}

// SerialNumbers returns the registered serial numbers, oldest first.
func (s *Server) SerialNumbers() []gen.ProductSerialVerificationRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return clone(s.store.serials)
}

// Quotation returns the quotation numbered no, as Get a Quotation answers it.
func (s *Server) Quotation(no string) (gen.Quotation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.store.quotations[no]
	if rec == nil {
		return gen.Quotation{}, false
	}
	return clone(rec.q), true
}

// SalesOrder returns the sales order numbered no, as Get a SalesOrder answers it.
func (s *Server) SalesOrder(no string) (gen.SalesOrder, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.store.orders[no]
	if rec == nil {
		return gen.SalesOrder{}, false
	}
	return rec.view(), true
}

// SalesOrderNos returns the numbers of all sales orders, oldest first.
func (s *Server) SalesOrderNos() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.store.orderOrder...)
}

// Employees returns the employees Employees Enquiry searches.
func (s *Server) Employees() []gen.EmployeeEnquiryItem {
	s.mu.Lock()
	defer s.mu.Unlock()
	return clone(s.store.employees)
}
