// Named Cypher queries for the questions, run on Neo4j by graph/questions/native.py.
//
// A dependencies request is ONE statement, so one round trip: a wrapper
// (`dependencies_anchored` or `dependencies_all`) with the bodies of the kinds asked for in
// place of its `//> body` line, followed by `dependencies_evidence`. It returns one row:
// whether the ids given exist (`company_known`, `concession_known`: the API's 404), the
// counts over every chain (`total`, `pairs`), the page of chains (the first $limit in the
// order of the shared implementation, graph/questions/dependencies.py `sort_key`: company
// id, concession id, kind, chain length, then the chain's relationship ids), and the
// records of the chains shown (`rels`, `nodes`), from which Python builds the same
// evidence. The parity suite (tests/questions/test_parity.py) checks that both give equal
// answers.
//
// Each kind has a body in three forms, so that Neo4j starts from the id it is given (an
// index seek) rather than from every node of a label: the whole graph, `_of_company`
// ($company) and `_of_concession` ($concession). A body returns one row per chain:
// c (company), t (concession), kind, chain (its relationships in walk order) and forward
// (whether each is walked in its stored direction).
//
// Parameters: $company, $concession (ids; in the `_of_company` form $concession may also be
// set, or null), $as_of (a date, or null for every fact) and $limit (most chains shown).
// A node or relationship counts on $as_of when valid_from <= $as_of (or unset) and
// $as_of < valid_to (or unset).
//
// Order: Neo4j compares strings by UTF-16 code unit, Python by code point; the two agree
// unless ids mix characters above U+FFFF with ones in U+E000-U+FFFF (dealgraph's ids are
// ASCII slugs, graph/ids.py).
//
// Sections start with a "// name: <name>" line; an analyst can paste a wrapper into Neo4j
// Browser, with a body in place of `//> body`, after
// `:param company => null, concession => null, as_of => null, limit => 200`.

// ------------------------------------------------------------------------------- wrappers

// name: dependencies_anchored
// One company's or one concession's chains: few enough to sort and count in one pass.
WITH ($company IS NULL OR EXISTS { MATCH (:Company {id: $company}) }) AS company_known,
     ($concession IS NULL OR EXISTS { MATCH (:TariffConcession {id: $concession}) }) AS concession_known
CALL () {
  CALL () {
    //> body
  }
  WITH c, t, kind, chain, forward ORDER BY c.id, t.id, kind, size(chain), [r IN chain | r.id]
  RETURN count(DISTINCT [c, t]) AS pairs,
         collect({company: c.id, concession: t.id, kind: kind, chain: chain, forward: forward}) AS found
}
WITH company_known, concession_known, size(found) AS total, pairs, found[0..$limit] AS page

// name: dependencies_all
// Every chain: two passes, each bounded in memory (as bench/bench_neo4j.py RAW_TOP):
// count them all, then keep the first $limit (a top-k sort).
CALL () {
  CALL () {
    //> body
  }
  RETURN count(*) AS total, count(DISTINCT [c, t]) AS pairs
}
CALL () {
  CALL () {
    //> body
  }
  // One sort key (a list: compared element by element, as the five keys) makes this a
  // top-k sort holding $limit rows; five keys let Neo4j sort every chain by the first ones.
  WITH c, t, kind, chain, forward ORDER BY [c.id, t.id, kind, size(chain), [r IN chain | r.id]] LIMIT $limit
  RETURN collect({company: c.id, concession: t.id, kind: kind, chain: chain, forward: forward}) AS page
}
WITH true AS company_known, true AS concession_known, total, pairs, page

// name: dependencies_evidence
// The end of every dependencies statement: the page's chains as ids, and the records of
// their relationships and of the relationships' ends, each once.
CALL (page) {
  UNWIND page AS row
  UNWIND row.chain AS r
  WITH DISTINCT r
  RETURN collect({type: type(r), props: properties(r), start: startNode(r).id, end: endNode(r).id}) AS rels
}
CALL (page) {
  UNWIND page AS row
  UNWIND row.chain AS r
  UNWIND [startNode(r), endNode(r)] AS n
  WITH DISTINCT n
  RETURN collect({label: labels(n)[0], props: properties(n)}) AS nodes
}
RETURN company_known, concession_known, total, pairs, rels, nodes,
       [row IN page | {company: row.company, concession: row.concession, kind: row.kind,
                       ids: [r IN row.chain | r.id], forward: row.forward}] AS page

// name: dependencies_none
// The body when no kind is asked for: no chains.
UNWIND [] AS c
RETURN c, c AS t, '' AS kind, [] AS chain, [] AS forward

// ------------------------------------------------------------------------------- exposure
// The company sells into a sector the concession covers, from a country it benefits. An
// EXPORTS with a `to` market counts only if that market concedes the concession (or none does).

// name: dependencies_exposure
// The hash join on (k, sec) is the plan Neo4j picks when k is labelled Country; the shared
// implementation does not check k's label, so this query does not either, and asks for it.
MATCH (c:Company)-[s:EXPORTS|IN_SECTOR]->(sec:Sector)<-[cv:COVERS]-(t:TariffConcession)-[b:BENEFITS]->(k)<-[bi:BASED_IN]-(c)
USING JOIN ON k, sec
WHERE ($as_of IS NULL OR all(x IN [c, sec, t, k, s, cv, b, bi] WHERE
        (x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)))
  AND (type(s) <> 'EXPORTS' OR coalesce(s.to, '') = ''
       OR NOT EXISTS { MATCH (x)-[cd:CONCEDES]->(t) WHERE $as_of IS NULL OR all(y IN [x, cd] WHERE
             (y.valid_from IS NULL OR y.valid_from <= $as_of) AND (y.valid_to IS NULL OR $as_of < y.valid_to)) }
       OR EXISTS { MATCH (x)-[cd:CONCEDES]->(t) WHERE x.id = toUpper(s.to) AND ($as_of IS NULL OR all(y IN [x, cd] WHERE
             (y.valid_from IS NULL OR y.valid_from <= $as_of) AND (y.valid_to IS NULL OR $as_of < y.valid_to))) })
RETURN c, t, 'exposure' AS kind, [s, cv, b, bi] AS chain, [true, false, true, false] AS forward

// name: dependencies_exposure_of_company
MATCH (c:Company {id: $company})-[s:EXPORTS|IN_SECTOR]->(sec:Sector)<-[cv:COVERS]-(t:TariffConcession)-[b:BENEFITS]->(k)<-[bi:BASED_IN]-(c)
WHERE ($concession IS NULL OR t.id = $concession)
  AND ($as_of IS NULL OR all(x IN [c, sec, t, k, s, cv, b, bi] WHERE
        (x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)))
  AND (type(s) <> 'EXPORTS' OR coalesce(s.to, '') = ''
       OR NOT EXISTS { MATCH (x)-[cd:CONCEDES]->(t) WHERE $as_of IS NULL OR all(y IN [x, cd] WHERE
             (y.valid_from IS NULL OR y.valid_from <= $as_of) AND (y.valid_to IS NULL OR $as_of < y.valid_to)) }
       OR EXISTS { MATCH (x)-[cd:CONCEDES]->(t) WHERE x.id = toUpper(s.to) AND ($as_of IS NULL OR all(y IN [x, cd] WHERE
             (y.valid_from IS NULL OR y.valid_from <= $as_of) AND (y.valid_to IS NULL OR $as_of < y.valid_to))) })
RETURN c, t, 'exposure' AS kind, [s, cv, b, bi] AS chain, [true, false, true, false] AS forward

// name: dependencies_exposure_of_concession
MATCH (t:TariffConcession {id: $concession})-[cv:COVERS]->(sec:Sector)<-[s:EXPORTS|IN_SECTOR]-(c:Company)-[bi:BASED_IN]->(k)<-[b:BENEFITS]-(t)
WHERE ($as_of IS NULL OR all(x IN [c, sec, t, k, s, cv, b, bi] WHERE
        (x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)))
  AND (type(s) <> 'EXPORTS' OR coalesce(s.to, '') = ''
       OR NOT EXISTS { MATCH (x)-[cd:CONCEDES]->(t) WHERE $as_of IS NULL OR all(y IN [x, cd] WHERE
             (y.valid_from IS NULL OR y.valid_from <= $as_of) AND (y.valid_to IS NULL OR $as_of < y.valid_to)) }
       OR EXISTS { MATCH (x)-[cd:CONCEDES]->(t) WHERE x.id = toUpper(s.to) AND ($as_of IS NULL OR all(y IN [x, cd] WHERE
             (y.valid_from IS NULL OR y.valid_from <= $as_of) AND (y.valid_to IS NULL OR $as_of < y.valid_to))) })
RETURN c, t, 'exposure' AS kind, [s, cv, b, bi] AS chain, [true, false, true, false] AS forward

// ----------------------------------------------------------------------------- fulfilment
// The company carries a project a vehicle funds to fulfil the commitment the concession is
// conditional on: directly, or through a rule commitment that GOVERNS it.

// name: dependencies_fulfilment
MATCH (c:Company)-[w:LEADS|PARTICIPATES_IN|OPERATES|SUPPLIES]->(p:Project)<-[f:FUNDS]-(v:InvestmentVehicle)-[fu:FULFILS]->(m:Commitment)<-[co:CONDITIONAL_ON]-(t:TariffConcession)
WHERE $as_of IS NULL OR all(x IN [c, p, v, m, t, w, f, fu, co] WHERE
        (x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to))
RETURN c, t, 'fulfilment' AS kind, [w, f, fu, co] AS chain, [true, false, true, false] AS forward
UNION ALL
MATCH (c:Company)-[w:LEADS|PARTICIPATES_IN|OPERATES|SUPPLIES]->(p:Project)<-[f:FUNDS]-(v:InvestmentVehicle)-[fu:FULFILS]->(m:Commitment)<-[g:GOVERNS]-(rule:Commitment)<-[co:CONDITIONAL_ON]-(t:TariffConcession)
WHERE $as_of IS NULL OR all(x IN [c, p, v, m, rule, t, w, f, fu, g, co] WHERE
        (x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to))
RETURN c, t, 'fulfilment' AS kind, [w, f, fu, g, co] AS chain, [true, false, true, false, false] AS forward

// name: dependencies_fulfilment_of_company
MATCH (c:Company {id: $company})-[w:LEADS|PARTICIPATES_IN|OPERATES|SUPPLIES]->(p:Project)<-[f:FUNDS]-(v:InvestmentVehicle)-[fu:FULFILS]->(m:Commitment)<-[co:CONDITIONAL_ON]-(t:TariffConcession)
WHERE ($concession IS NULL OR t.id = $concession)
  AND ($as_of IS NULL OR all(x IN [c, p, v, m, t, w, f, fu, co] WHERE
        (x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)))
RETURN c, t, 'fulfilment' AS kind, [w, f, fu, co] AS chain, [true, false, true, false] AS forward
UNION ALL
MATCH (c:Company {id: $company})-[w:LEADS|PARTICIPATES_IN|OPERATES|SUPPLIES]->(p:Project)<-[f:FUNDS]-(v:InvestmentVehicle)-[fu:FULFILS]->(m:Commitment)<-[g:GOVERNS]-(rule:Commitment)<-[co:CONDITIONAL_ON]-(t:TariffConcession)
WHERE ($concession IS NULL OR t.id = $concession)
  AND ($as_of IS NULL OR all(x IN [c, p, v, m, rule, t, w, f, fu, g, co] WHERE
        (x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)))
RETURN c, t, 'fulfilment' AS kind, [w, f, fu, g, co] AS chain, [true, false, true, false, false] AS forward

// name: dependencies_fulfilment_of_concession
MATCH (t:TariffConcession {id: $concession})-[co:CONDITIONAL_ON]->(m:Commitment)<-[fu:FULFILS]-(v:InvestmentVehicle)-[f:FUNDS]->(p:Project)<-[w:LEADS|PARTICIPATES_IN|OPERATES|SUPPLIES]-(c:Company)
WHERE $as_of IS NULL OR all(x IN [c, p, v, m, t, w, f, fu, co] WHERE
        (x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to))
RETURN c, t, 'fulfilment' AS kind, [w, f, fu, co] AS chain, [true, false, true, false] AS forward
UNION ALL
MATCH (t:TariffConcession {id: $concession})-[co:CONDITIONAL_ON]->(rule:Commitment)-[g:GOVERNS]->(m:Commitment)<-[fu:FULFILS]-(v:InvestmentVehicle)-[f:FUNDS]->(p:Project)<-[w:LEADS|PARTICIPATES_IN|OPERATES|SUPPLIES]-(c:Company)
WHERE $as_of IS NULL OR all(x IN [c, p, v, m, rule, t, w, f, fu, g, co] WHERE
        (x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to))
RETURN c, t, 'fulfilment' AS kind, [w, f, fu, g, co] AS chain, [true, false, true, false, false] AS forward
