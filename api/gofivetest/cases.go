package gofivetest

import (
	"net/http"

	"github.com/gofive-go/gofive/api/wire"
	"github.com/gofive-go/gofive/gen"
)

// A Case is a case held by the server. The API has no operation that reads a case back, so
// tests look cases up with [Server.Case] and [Server.Cases].
type Case struct {
	// CaseNo is the case number, e.g. T260600001 (T, year and month, sequence).
	CaseNo string
	// FeedbackID is the id Add Case answers (data.data.feedbackId).
	FeedbackID int64
	// The case's current fields, as last sent (Edit Case's customerNo lands in CustomerCode).
	gen.CaseAddRequest
}

// addCase: POST /v1/case. Answers the documented nested envelope with the new feedbackId
// (the case number is not in the documented response).
func addCase(s *store, c *call) response {
	var req gen.CaseAddRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	if req.CaseType != 1 && req.CaseType != 2 {
		return badRequest("caseType must be 1 (Request for Action) or 2 (For Your Information), got %d", req.CaseType)
	}
	if req.CustomerCode != "" {
		if res, ok := s.checkCustomerExists("case", req.CustomerCode); !ok {
			return res
		}
	}
	s.feedbackID++
	cs := &Case{CaseNo: s.number("T", s.yymm(), 5), FeedbackID: s.feedbackID, CaseAddRequest: clone(req)}
	s.cases[cs.CaseNo] = cs
	s.caseOrder = append(s.caseOrder, cs.CaseNo)
	return jsonResponse(http.StatusOK, gen.CaseFeedbackEnvelope{
		Status: successStatus(),
		Data: gen.CaseFeedbackResult{
			Data:           gen.CaseFeedback{FeedbackID: wire.IntID(cs.FeedbackID)},
			StatusCode:     1000,
			HTTPStatusCode: http.StatusOK,
		},
	})
}

// editCase: PUT /v1/case/{caseNo}. The response body is not documented; the fake answers
// {"status":…,"data":{"caseNo":…}}.
func editCase(s *store, c *call) response {
	cs := s.cases[c.param("caseNo")]
	if cs == nil {
		return notFound("case %s not found", c.param("caseNo"))
	}
	var req gen.CaseEditRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	for _, code := range []string{req.CustomerCode, req.CustomerNo} {
		if code != "" {
			if res, ok := s.checkCustomerExists("case", code); !ok {
				return res
			}
		}
	}
	cs.Subject = req.Subject
	cs.CategoryID = req.CategoryID
	cs.DateCase = req.DateCase
	cs.DateDue = req.DateDue
	cs.AssignedToUserID = req.AssignedToUserID
	switch {
	case req.CustomerCode != "":
		cs.CustomerCode = req.CustomerCode
	case req.CustomerNo != "":
		cs.CustomerCode = req.CustomerNo
	}
	setSlice(&cs.ActivityNos, req.ActivityNos)
	setSlice(&cs.DealNos, req.DealNos)
	setv(&cs.Note, req.Note)
	return ok(map[string]any{"caseNo": cs.CaseNo})
}
