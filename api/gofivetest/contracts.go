package gofivetest

import (
	"net/http"
	"strings"

	"github.com/gofive-go/gofive/gen"
)

type contractRec struct {
	c           gen.Contract
	description string
}

// customerType maps a customer to the legacy codes Get Contract By No uses (11100 Lead,
// 11200 Prospect, 11300 Customer).
func (s *store) customerType(code string) (name string, typ int) {
	if rec := s.customers[code]; rec != nil {
		switch rec.c.CustomerState {
		case 1:
			return rec.c.CustomerName, 11100
		case 2:
			return rec.c.CustomerName, 11200
		}
		return rec.c.CustomerName, 11300
	}
	if strings.HasPrefix(code, "L") {
		return "", 11100
	}
	return "", 11300
}

// createOrUpdateContract: POST /v1/contract. A null contractNo creates a contract
// (CONT + year and month + sequence); a known one updates it; an unknown one creates it
// under that number. The response body is not documented; the fake answers
// {"status":…,"data":{"contractNo":…}}.
func createOrUpdateContract(s *store, c *call) response {
	var req gen.ContractRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	no := req.ContractNo
	rec := s.contracts[no]
	if rec == nil {
		if no == "" {
			no = s.number("CONT", s.yymm(), 5)
		}
		rec = &contractRec{c: gen.Contract{
			ContractNo:       no,
			StatusID:         1601, // Open
			ContractServices: []gen.ContractServiceItem{},
			Attachments:      []gen.ContractAttachment{},
		}}
		s.contracts[no] = rec
	}
	k := &rec.c
	k.ContractName = req.ContractName
	k.ContractType = req.ContractType
	k.CustomerCode = req.CustomerCode
	k.CustomerName, k.CustomerType = s.customerType(req.CustomerCode)
	set(&k.ContractValue, req.ContractValue)
	k.DateStart = req.DateStart
	k.DateEnd = req.DateEnd
	k.Owner = req.Owner
	rec.description = req.Description
	if svc := req.ContractService; svc != (gen.ContractServiceInput{}) {
		s.contractSvc++
		k.ContractServices = append(k.ContractServices, serviceItem(s.contractSvc, svc.Subject, svc.Frequency, svc.NumberOfTimes, svc.AgreementNote))
	}
	return ok(map[string]any{"contractNo": no})
}

// serviceItem is a contract's service agreement. Its keys are not documented (the spec
// guesses these from the Service Agreement request); the fake uses those.
func serviceItem(id int64, subject string, frequency, times int, note string) map[string]any {
	var n any
	if note != "" {
		n = note
	}
	return map[string]any{
		"contractServiceId": id, "subject": subject, "frequency": frequency,
		"numberOfTimes": times, "agreementNote": n,
	}
}

// getContractByNo: GET /v1/contract/{no}.
func getContractByNo(s *store, c *call) response {
	rec := s.contracts[c.param("no")]
	if rec == nil {
		return notFound("contract %s not found", c.param("no"))
	}
	return jsonResponse(http.StatusOK, gen.ContractEnvelope{Status: successStatus(), Data: clone(rec.c)})
}

// createOrUpdateContractServiceAgreement: POST /v1/contract/service-agreement. A null
// contractServiceId adds an agreement to the contract, a known one updates it. Answers the
// documented top-level data (ContractServiceDto, whose keys are not documented: the fake
// uses the request's).
func createOrUpdateContractServiceAgreement(s *store, c *call) response {
	var req gen.ContractServiceAgreementRequest
	if err := c.decode(&req); err != nil {
		return badRequest("%v", err)
	}
	rec := s.contracts[req.ContractNo]
	if rec == nil {
		return notFound("contract %s not found", req.ContractNo)
	}
	var item map[string]any
	if req.ContractServiceID == 0 {
		s.contractSvc++
		item = serviceItem(s.contractSvc, req.Subject, req.Frequency, req.NumberOfTimes, req.AgreementNote)
		rec.c.ContractServices = append(rec.c.ContractServices, item)
	} else {
		for i, svc := range rec.c.ContractServices {
			if id, _ := svc["contractServiceId"].(int64); id == req.ContractServiceID {
				item = serviceItem(id, req.Subject, req.Frequency, req.NumberOfTimes, req.AgreementNote)
				rec.c.ContractServices[i] = item
			}
		}
		if item == nil {
			return notFound("service agreement %d of contract %s not found", req.ContractServiceID, req.ContractNo)
		}
	}
	st := successStatus()
	return jsonResponse(http.StatusOK, gen.ContractServiceEnvelope{Status: st, Data: clone(item)})
}
