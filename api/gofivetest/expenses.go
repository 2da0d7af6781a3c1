package gofivetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/gofive-go/gofive/api/wire"
	"github.com/gofive-go/gofive/gen"
)

type expenseRec struct {
	e       gen.Expense
	details []gen.ExpenseDetailInput // as sent, for the enquiry's type filter
}

// expenseExtras are the top-level fields of Create Expense other than ExpenseDetails: the
// spec does not list them (not recovered), Update Expense documents these.
type expenseExtras struct {
	Subject         string    `json:"subject"`
	Remark          string    `json:"remark"`
	DateTransaction wire.Time `json:"dateTransaction"`
}

// checkDetails applies the documented per-type rules of an expense line.
func checkDetails(details []gen.ExpenseDetailInput) error {
	var errs []error
	for i, d := range details {
		switch d.ExpenseTypeID {
		case 1001:
			if d.Night == nil {
				errs = append(errs, fmt.Errorf("ExpenseDetails[%d]: night is required for accommodation (1001)", i))
			}
		case 1003:
			if d.MilesStart == nil || d.MilesEnd == nil || *d.MilesStart >= *d.MilesEnd {
				errs = append(errs, fmt.Errorf("ExpenseDetails[%d]: fuel (1003) needs milesStart < milesEnd", i))
			}
		case 1005:
			if d.TrainingTitle == "" || d.Hours == nil {
				errs = append(errs, fmt.Errorf("ExpenseDetails[%d]: training (1005) needs trainingTitle and hours", i))
			}
		}
	}
	return errors.Join(errs...)
}

func (s *store) setDetails(rec *expenseRec, details []gen.ExpenseDetailInput) {
	rec.details = clone(details)
	rec.e.ExpenseDetails = []gen.ExpenseDetail{}
	var total float64
	for _, d := range details {
		id := d.ExpenseDetailID
		if id == 0 {
			s.detailID++
			id = s.detailID
		}
		total += d.Amount
		rec.e.ExpenseDetails = append(rec.e.ExpenseDetails, gen.ExpenseDetail{
			ExpenseDetailID: id,
			ExpenseID:       rec.e.ExpenseID,
			ExpenseTypeID:   d.ExpenseTypeID,
			Amount1:         d.Amount,
		})
	}
	rec.e.Total, rec.e.TotalBaht = total, total
}

// createExpense: POST /v1/Expenses. The response body is not documented; the fake answers
// {"status":…,"data":{"expenseId":…,"expenseNo":"EX260600001"}} (the expense-number form is
// the fake's own: none was documented).
func createExpense(s *store, c *call) response {
	var req gen.ExpenseCreateRequest
	var extra expenseExtras
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	_ = c.decode(&extra)
	if err := checkDetails(req.ExpenseDetails); err != nil {
		return badRequest("%v", err)
	}
	s.expenseID++
	now := s.nowTime()
	rec := &expenseRec{e: gen.Expense{
		ExpenseID:        s.expenseID,
		ExpenseNo:        s.number("EX", s.yymm(), 5),
		StatusID:         int64(301),
		Subject:          extra.Subject,
		Remark:           extra.Remark,
		DateTransaction:  now,
		DateCreated:      now,
		DateUpdated:      now,
		CanApprove:       false,
		IsEdit:           true,
		Deletable:        true,
		ActivityExpenses: []gen.Unrecovered{},
		Attachments:      []gen.ExpenseAttachment{},
		ActivityLogs:     []gen.ExpenseActivityLog{},
		ExpenseStates: []gen.ExpenseState{{
			ExpenseStatesID: s.expenseID, ExpenseID: s.expenseID, StatusID: int64(301),
			DateCreated: now, Seq: 1, ApproveLevel: 0,
		}},
	}}
	if !extra.DateTransaction.IsZero() {
		rec.e.DateTransaction = bkk(extra.DateTransaction)
	}
	s.setDetails(rec, req.ExpenseDetails)
	s.expenses[s.expenseID] = rec
	s.expenseOrd = append(s.expenseOrd, s.expenseID)
	return ok(map[string]any{"expenseId": s.expenseID, "expenseNo": rec.e.ExpenseNo})
}

// updateExpense: PUT /v1/Expenses/{id}. ExpenseDetails may be one object or an array; the
// lines replace the expense's. The response body is not documented; the fake answers
// {"status":…,"data":{"expenseId":…}}.
func updateExpense(s *store, c *call) response {
	id, err := strconv.ParseInt(c.param("id"), 10, 64)
	rec := s.expenses[id]
	if err != nil || rec == nil {
		return notFound("expense %s not found", c.param("id"))
	}
	var req gen.ExpenseUpdateRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	var raw struct {
		ExpenseDetails json.RawMessage `json:"ExpenseDetails"`
	}
	_ = c.decode(&raw)
	var details []gen.ExpenseDetailInput
	if err := json.Unmarshal(raw.ExpenseDetails, &details); err != nil {
		var one gen.ExpenseDetailInput
		if err := json.Unmarshal(raw.ExpenseDetails, &one); err != nil {
			return badRequest("ExpenseDetails: %v", err)
		}
		details = []gen.ExpenseDetailInput{one}
	}
	if err := checkDetails(details); err != nil {
		return badRequest("%v", err)
	}
	rec.e.Subject = req.Subject
	setv(&rec.e.Remark, req.Remark)
	if !req.DateTransaction.IsZero() {
		rec.e.DateTransaction = bkk(req.DateTransaction)
	}
	if req.Attachments != nil {
		rec.e.Attachments = []gen.ExpenseAttachment{}
		for _, a := range req.Attachments {
			rec.e.Attachments = append(rec.e.Attachments, gen.ExpenseAttachment{
				AttachmentID: a.AttachmentID, RefID: id, Type: a.Type,
				DateCreated: bkk(a.DateCreated), URL: a.URL,
				URLResponseUpload: a.URLResponseUpload, Thumbnail: a.Thumbnail,
			})
		}
	}
	s.setDetails(rec, details)
	rec.e.DateUpdated = s.nowTime()
	return ok(map[string]any{"expenseId": id})
}

// expenseEnquiry: POST /v1/expenses/enquiry. Expenses with a line of expenseTypeId,
// filtered by statusIds, searchText (subject, remark, number) and the transaction date
// range (staffCodes is not modelled: the fake does not track who filed an expense). The
// response body is not documented; the fake answers data as an array of Get a Expense's
// objects.
func expenseEnquiry(s *store, c *call) response {
	var req gen.ExpenseEnquiryRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	out := []gen.Expense{}
	for _, id := range s.expenseOrd {
		rec := s.expenses[id]
		if !slices.ContainsFunc(rec.details, func(d gen.ExpenseDetailInput) bool { return d.ExpenseTypeID == req.ExpenseTypeID }) {
			continue
		}
		if len(req.StatusIds) > 0 && !slices.Contains(req.StatusIds, strconv.FormatInt(rec.e.StatusID, 10)) {
			continue
		}
		if q := req.SearchText; q != "" && !containsFold(rec.e.Subject+" "+rec.e.Remark+" "+rec.e.ExpenseNo, q) {
			continue
		}
		if !inRange(rec.e.DateTransaction, req.DateStart, req.DateEnd) {
			continue
		}
		out = append(out, clone(rec.e))
	}
	return ok(out)
}

// inRange reports whether t is within [from, to] (either bound may be absent).
func inRange(t wire.Time, from, to wire.Time) bool {
	if !from.Valid() && !to.Valid() {
		return true
	}
	if !t.Valid() {
		return false
	}
	if from.Valid() && t.Time().Before(from.Time()) {
		return false
	}
	if to.Valid() && t.Time().After(to.Time()) {
		return false
	}
	return true
}

// getExpense: GET /v1/expenses/{id}. Answers the documented {data:{value:expense}} with no
// status object.
func getExpense(s *store, c *call) response {
	id, _ := strconv.ParseInt(c.param("id"), 10, 64)
	rec := s.expenses[id]
	if rec == nil {
		return notFound("expense %d not found", id)
	}
	return jsonResponse(http.StatusOK, gen.ExpenseEnvelope{Data: gen.ExpenseValue{Value: clone(rec.e)}})
}
