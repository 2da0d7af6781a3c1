package gofivetest

import (
	"net/http"
	"strconv"

	"github.com/gofive-go/gofive/gen"
)

// A DealRecord is a deal held by the server (the API has no operation that reads a deal
// back; Update Deal answers it).
type DealRecord struct {
	// Deal is what Update Deal answers.
	Deal gen.Deal
	// Request holds the deal's current fields: Create Deal's body with later updates applied.
	Request gen.DealCreateRequest
}

type dealRec = DealRecord

func (s *store) dealView(d *dealRec) gen.Deal {
	v := clone(d.Deal)
	v.DealsName = d.Request.DealName
	v.DealsValue = float64(d.Request.DealValue)
	v.DealStageID = d.Request.DealStageID
	if !d.Request.DealDate.IsZero() {
		v.DealsDate = bkk(d.Request.DealDate)
	}
	return v
}

// createDeal: POST /v1/deals. The response body is not documented; the fake answers
// {"status":…,"data":{"dealsId":…,"dealNo":"D260600001"}}.
func createDeal(s *store, c *call) response {
	var req gen.DealCreateRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	if req.Probability < 0 || req.Probability > 100 {
		return badRequest("probability must be 0–100, got %d", req.Probability)
	}
	s.dealID++
	d := &dealRec{Request: clone(req), Deal: gen.Deal{
		DealsID:    s.dealID,
		DealNo:     s.number("D", s.yymm(), 5),
		StatusID:   int64(1),
		DealsIndex: len(s.dealOrder),
	}}
	if req.DealDate.IsZero() {
		d.Request.DealDate = s.nowTime()
	}
	for _, code := range req.CustomerCodes {
		if rec := s.customers[code]; rec != nil {
			d.Deal.CustomerID = rec.id
			break
		}
	}
	s.deals[s.dealID] = d
	s.dealOrder = append(s.dealOrder, s.dealID)
	return ok(map[string]any{"dealsId": s.dealID, "dealNo": d.Deal.DealNo})
}

// updateDeal: PUT /v1/deals/{id}. Answers the documented {data:{value:deal}} with no status
// object, as in the docs' example.
func updateDeal(s *store, c *call) response {
	id, _ := strconv.ParseInt(c.param("id"), 10, 64)
	d := s.deals[id]
	if d == nil {
		return notFound("deal %d not found", id)
	}
	var req gen.DealUpdateRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	r := &d.Request
	r.DealName, r.DealValue, r.ExpectedCloseDate, r.AssignTo = req.DealName, req.DealValue, req.ExpectedCloseDate, req.AssignTo
	set(&r.Probability, req.Probability)
	setPtr(&r.DealQuantity, req.DealQuantity)
	setv(&r.DealQuantityUnit, req.DealQuantityUnit)
	setSlice(&r.DealInterests, req.DealInterests)
	setSlice(&r.DealLabels, req.DealLabels)
	setv(&r.DealDate, req.DealDate)
	setv(&r.Note, req.Note)
	setSlice(&r.ParticipantCodes, req.ParticipantCodes)
	setv(&r.DateFollowUp, req.DateFollowUp)
	setv(&r.FollowUpNotes, req.FollowUpNotes)
	setv(&r.DealStageID, req.DealStageID)
	setv(&r.Remark, req.Remark)
	setv(&r.ReasonCategoryID, req.ReasonCategoryID)
	setPtr(&r.MarkAllTaskAsDone, req.MarkAllTaskAsDone)
	setPtr(&r.CancelAllOrder, req.CancelAllOrder)
	if deref(req.CancelAllOrder) {
		d.Deal.StatusID = int64(3) // the fake's guess: a deal whose orders are cancelled is closed
	}
	return jsonResponse(http.StatusOK, gen.DealValueEnvelope{Data: gen.DealResult{Value: s.dealView(d)}})
}
