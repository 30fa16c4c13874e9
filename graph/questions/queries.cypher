// Named Cypher queries for the questions, run on Neo4j by graph/questions/native.py.
//
// The dependencies queries return one row per chain: (company, concession, kind, ids,
// eids, forward): the chain's relationship ids and element ids in walk order, and whether
// each is walked in its stored direction. Python sorts and counts the rows exactly as the
// shared implementation does (graph/questions/dependencies.py), then reads the records of
// the rows it shows with `chain_records` and builds the same evidence; the parity suite
// (tests/questions/test_parity.py) checks that both give equal answers.
//
// Each kind has three forms, so that Neo4j starts from the id it is given (an index seek)
// rather than from every node of a label: the whole graph, `_of_company` ($company) and
// `_of_concession` ($concession). Parameters: $company, $concession (ids; in the `_of_company`
// form $concession may also be set, or null) and $as_of (a date, or null for every fact).
// A node or relationship counts on $as_of when valid_from <= $as_of (or unset) and
// $as_of < valid_to (or unset).
//
// Sections start with a "// name: <name>" line; an analyst can paste one into Neo4j Browser
// after `:param company => null, concession => null, as_of => null`.

// ------------------------------------------------------------------------------- exposure
// The company sells into a sector the concession covers, from a country it benefits. An
// EXPORTS with a `to` market counts only if that market concedes the concession (or none does).

// name: dependencies_exposure
MATCH (c:Company)-[s:EXPORTS|IN_SECTOR]->(sec:Sector)<-[cv:COVERS]-(t:TariffConcession)-[b:BENEFITS]->(k)<-[bi:BASED_IN]-(c)
WHERE all(x IN [c, sec, t, k, s, cv, b, bi] WHERE $as_of IS NULL
        OR ((x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)))
  AND (type(s) <> 'EXPORTS' OR coalesce(s.to, '') = ''
       OR NOT EXISTS { MATCH (x)-[cd:CONCEDES]->(t) WHERE all(y IN [x, cd] WHERE $as_of IS NULL
             OR ((y.valid_from IS NULL OR y.valid_from <= $as_of) AND (y.valid_to IS NULL OR $as_of < y.valid_to))) }
       OR EXISTS { MATCH (x)-[cd:CONCEDES]->(t) WHERE x.id = toUpper(s.to) AND all(y IN [x, cd] WHERE $as_of IS NULL
             OR ((y.valid_from IS NULL OR y.valid_from <= $as_of) AND (y.valid_to IS NULL OR $as_of < y.valid_to))) })
WITH c, t, [s, cv, b, bi] AS chain
RETURN c.id AS company, t.id AS concession, 'exposure' AS kind, [r IN chain | r.id] AS ids,
       [r IN chain | elementId(r)] AS eids, [true, false, true, false] AS forward

// name: dependencies_exposure_of_company
MATCH (c:Company {id: $company})-[s:EXPORTS|IN_SECTOR]->(sec:Sector)<-[cv:COVERS]-(t:TariffConcession)-[b:BENEFITS]->(k)<-[bi:BASED_IN]-(c)
WHERE ($concession IS NULL OR t.id = $concession)
  AND all(x IN [c, sec, t, k, s, cv, b, bi] WHERE $as_of IS NULL
        OR ((x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)))
  AND (type(s) <> 'EXPORTS' OR coalesce(s.to, '') = ''
       OR NOT EXISTS { MATCH (x)-[cd:CONCEDES]->(t) WHERE all(y IN [x, cd] WHERE $as_of IS NULL
             OR ((y.valid_from IS NULL OR y.valid_from <= $as_of) AND (y.valid_to IS NULL OR $as_of < y.valid_to))) }
       OR EXISTS { MATCH (x)-[cd:CONCEDES]->(t) WHERE x.id = toUpper(s.to) AND all(y IN [x, cd] WHERE $as_of IS NULL
             OR ((y.valid_from IS NULL OR y.valid_from <= $as_of) AND (y.valid_to IS NULL OR $as_of < y.valid_to))) })
WITH c, t, [s, cv, b, bi] AS chain
RETURN c.id AS company, t.id AS concession, 'exposure' AS kind, [r IN chain | r.id] AS ids,
       [r IN chain | elementId(r)] AS eids, [true, false, true, false] AS forward

// name: dependencies_exposure_of_concession
MATCH (t:TariffConcession {id: $concession})-[cv:COVERS]->(sec:Sector)<-[s:EXPORTS|IN_SECTOR]-(c:Company)-[bi:BASED_IN]->(k)<-[b:BENEFITS]-(t)
WHERE all(x IN [c, sec, t, k, s, cv, b, bi] WHERE $as_of IS NULL
        OR ((x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)))
  AND (type(s) <> 'EXPORTS' OR coalesce(s.to, '') = ''
       OR NOT EXISTS { MATCH (x)-[cd:CONCEDES]->(t) WHERE all(y IN [x, cd] WHERE $as_of IS NULL
             OR ((y.valid_from IS NULL OR y.valid_from <= $as_of) AND (y.valid_to IS NULL OR $as_of < y.valid_to))) }
       OR EXISTS { MATCH (x)-[cd:CONCEDES]->(t) WHERE x.id = toUpper(s.to) AND all(y IN [x, cd] WHERE $as_of IS NULL
             OR ((y.valid_from IS NULL OR y.valid_from <= $as_of) AND (y.valid_to IS NULL OR $as_of < y.valid_to))) })
WITH c, t, [s, cv, b, bi] AS chain
RETURN c.id AS company, t.id AS concession, 'exposure' AS kind, [r IN chain | r.id] AS ids,
       [r IN chain | elementId(r)] AS eids, [true, false, true, false] AS forward

// ----------------------------------------------------------------------------- fulfilment
// The company carries a project a vehicle funds to fulfil the commitment the concession is
// conditional on: directly, or through a rule commitment that GOVERNS it.

// name: dependencies_fulfilment
MATCH (c:Company)-[w:LEADS|PARTICIPATES_IN|OPERATES|SUPPLIES]->(p:Project)<-[f:FUNDS]-(v:InvestmentVehicle)-[fu:FULFILS]->(m:Commitment)<-[co:CONDITIONAL_ON]-(t:TariffConcession)
WHERE all(x IN [c, p, v, m, t, w, f, fu, co] WHERE $as_of IS NULL
        OR ((x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)))
WITH c, t, [w, f, fu, co] AS chain
RETURN c.id AS company, t.id AS concession, 'fulfilment' AS kind, [r IN chain | r.id] AS ids,
       [r IN chain | elementId(r)] AS eids, [true, false, true, false] AS forward
UNION ALL
MATCH (c:Company)-[w:LEADS|PARTICIPATES_IN|OPERATES|SUPPLIES]->(p:Project)<-[f:FUNDS]-(v:InvestmentVehicle)-[fu:FULFILS]->(m:Commitment)<-[g:GOVERNS]-(rule:Commitment)<-[co:CONDITIONAL_ON]-(t:TariffConcession)
WHERE all(x IN [c, p, v, m, rule, t, w, f, fu, g, co] WHERE $as_of IS NULL
        OR ((x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)))
WITH c, t, [w, f, fu, g, co] AS chain
RETURN c.id AS company, t.id AS concession, 'fulfilment' AS kind, [r IN chain | r.id] AS ids,
       [r IN chain | elementId(r)] AS eids, [true, false, true, false, false] AS forward

// name: dependencies_fulfilment_of_company
MATCH (c:Company {id: $company})-[w:LEADS|PARTICIPATES_IN|OPERATES|SUPPLIES]->(p:Project)<-[f:FUNDS]-(v:InvestmentVehicle)-[fu:FULFILS]->(m:Commitment)<-[co:CONDITIONAL_ON]-(t:TariffConcession)
WHERE ($concession IS NULL OR t.id = $concession)
  AND all(x IN [c, p, v, m, t, w, f, fu, co] WHERE $as_of IS NULL
        OR ((x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)))
WITH c, t, [w, f, fu, co] AS chain
RETURN c.id AS company, t.id AS concession, 'fulfilment' AS kind, [r IN chain | r.id] AS ids,
       [r IN chain | elementId(r)] AS eids, [true, false, true, false] AS forward
UNION ALL
MATCH (c:Company {id: $company})-[w:LEADS|PARTICIPATES_IN|OPERATES|SUPPLIES]->(p:Project)<-[f:FUNDS]-(v:InvestmentVehicle)-[fu:FULFILS]->(m:Commitment)<-[g:GOVERNS]-(rule:Commitment)<-[co:CONDITIONAL_ON]-(t:TariffConcession)
WHERE ($concession IS NULL OR t.id = $concession)
  AND all(x IN [c, p, v, m, rule, t, w, f, fu, g, co] WHERE $as_of IS NULL
        OR ((x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)))
WITH c, t, [w, f, fu, g, co] AS chain
RETURN c.id AS company, t.id AS concession, 'fulfilment' AS kind, [r IN chain | r.id] AS ids,
       [r IN chain | elementId(r)] AS eids, [true, false, true, false, false] AS forward

// name: dependencies_fulfilment_of_concession
MATCH (t:TariffConcession {id: $concession})-[co:CONDITIONAL_ON]->(m:Commitment)<-[fu:FULFILS]-(v:InvestmentVehicle)-[f:FUNDS]->(p:Project)<-[w:LEADS|PARTICIPATES_IN|OPERATES|SUPPLIES]-(c:Company)
WHERE all(x IN [c, p, v, m, t, w, f, fu, co] WHERE $as_of IS NULL
        OR ((x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)))
WITH c, t, [w, f, fu, co] AS chain
RETURN c.id AS company, t.id AS concession, 'fulfilment' AS kind, [r IN chain | r.id] AS ids,
       [r IN chain | elementId(r)] AS eids, [true, false, true, false] AS forward
UNION ALL
MATCH (t:TariffConcession {id: $concession})-[co:CONDITIONAL_ON]->(rule:Commitment)-[g:GOVERNS]->(m:Commitment)<-[fu:FULFILS]-(v:InvestmentVehicle)-[f:FUNDS]->(p:Project)<-[w:LEADS|PARTICIPATES_IN|OPERATES|SUPPLIES]-(c:Company)
WHERE all(x IN [c, p, v, m, rule, t, w, f, fu, g, co] WHERE $as_of IS NULL
        OR ((x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)))
WITH c, t, [w, f, fu, g, co] AS chain
RETURN c.id AS company, t.id AS concession, 'fulfilment' AS kind, [r IN chain | r.id] AS ids,
       [r IN chain | elementId(r)] AS eids, [true, false, true, false, false] AS forward

// ---------------------------------------------------------------------------------- evidence

// name: chain_records
// The relationships of the chains shown (by element id), with their ends.
MATCH (a)-[r]->(b) WHERE elementId(r) IN $eids
RETURN type(r) AS type, properties(r) AS props, labels(a)[0] AS start_label, properties(a) AS start_props,
       labels(b)[0] AS end_label, properties(b) AS end_props

// name: company_exists
MATCH (n:Company {id: $id}) RETURN count(n) AS n

// name: concession_exists
MATCH (n:TariffConcession {id: $id}) RETURN count(n) AS n
