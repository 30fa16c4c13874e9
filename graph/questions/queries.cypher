// Named Cypher queries for the questions, run on Neo4j by graph/questions/native.py.
//
// Each query returns rows of (company, concession, kind, rels, forward, nodes): the chain's
// relationships in walk order with their ends and properties, whether each is walked in its
// stored direction, and the nodes along it. Python turns the rows into the same typed
// result as the shared implementation (graph/questions/dependencies.py); the parity suite
// (tests/questions/test_parity.py) checks that both give equal answers.
//
// Parameters: $company and $concession (ids, or null for all), $as_of (a date, or null for
// every fact). A node or relationship counts on $as_of when valid_from <= $as_of (or unset)
// and $as_of < valid_to (or unset).
// Sections start with a "// name: <name>" line; analysts can paste one into Neo4j Browser
// after `:param company => null, concession => null, as_of => null`.

// name: dependencies_exposure
// The company sells into a sector the concession covers, from a country it benefits. An
// EXPORTS with a `to` market counts only if that market concedes the concession (or none does).
MATCH (c:Company)-[s:EXPORTS|IN_SECTOR]->(sec:Sector)<-[cv:COVERS]-(t:TariffConcession)-[b:BENEFITS]->(k)<-[bi:BASED_IN]-(c)
WHERE ($company IS NULL OR c.id = $company)
  AND ($concession IS NULL OR t.id = $concession)
  AND all(x IN [c, sec, t, k, s, cv, b, bi] WHERE $as_of IS NULL
        OR ((x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)))
  AND (type(s) <> 'EXPORTS' OR coalesce(s.to, '') = ''
       OR NOT EXISTS {
         MATCH (x)-[cd:CONCEDES]->(t)
         WHERE $as_of IS NULL OR ((x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)
               AND (cd.valid_from IS NULL OR cd.valid_from <= $as_of) AND (cd.valid_to IS NULL OR $as_of < cd.valid_to))
       }
       OR EXISTS {
         MATCH (x)-[cd:CONCEDES]->(t)
         WHERE x.id = toUpper(s.to) AND ($as_of IS NULL
               OR ((x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)
               AND (cd.valid_from IS NULL OR cd.valid_from <= $as_of) AND (cd.valid_to IS NULL OR $as_of < cd.valid_to)))
       })
WITH c, t, [s, cv, b, bi] AS chain, [true, false, true, false] AS forward, [c, sec, t, k] AS along
RETURN c.id AS company, t.id AS concession, 'exposure' AS kind,
       [r IN chain | {type: type(r), start: startNode(r).id, end: endNode(r).id, props: properties(r)}] AS rels,
       forward,
       [n IN along | {label: labels(n)[0], props: properties(n)}] AS nodes

// name: dependencies_fulfilment
// The company carries a project a vehicle funds to fulfil the commitment the concession is
// conditional on: directly, or through a rule commitment that GOVERNS it.
MATCH (c:Company)-[w:LEADS|PARTICIPATES_IN|OPERATES|SUPPLIES]->(p:Project)<-[f:FUNDS]-(v:InvestmentVehicle)-[fu:FULFILS]->(m:Commitment)<-[co:CONDITIONAL_ON]-(t:TariffConcession)
WHERE ($company IS NULL OR c.id = $company)
  AND ($concession IS NULL OR t.id = $concession)
  AND all(x IN [c, p, v, m, t, w, f, fu, co] WHERE $as_of IS NULL
        OR ((x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)))
WITH c, t, [w, f, fu, co] AS chain, [true, false, true, false] AS forward, [c, p, v, m, t] AS along
RETURN c.id AS company, t.id AS concession, 'fulfilment' AS kind,
       [r IN chain | {type: type(r), start: startNode(r).id, end: endNode(r).id, props: properties(r)}] AS rels,
       forward,
       [n IN along | {label: labels(n)[0], props: properties(n)}] AS nodes
UNION ALL
MATCH (c:Company)-[w:LEADS|PARTICIPATES_IN|OPERATES|SUPPLIES]->(p:Project)<-[f:FUNDS]-(v:InvestmentVehicle)-[fu:FULFILS]->(m:Commitment)<-[g:GOVERNS]-(rule:Commitment)<-[co:CONDITIONAL_ON]-(t:TariffConcession)
WHERE ($company IS NULL OR c.id = $company)
  AND ($concession IS NULL OR t.id = $concession)
  AND all(x IN [c, p, v, m, rule, t, w, f, fu, g, co] WHERE $as_of IS NULL
        OR ((x.valid_from IS NULL OR x.valid_from <= $as_of) AND (x.valid_to IS NULL OR $as_of < x.valid_to)))
WITH c, t, [w, f, fu, g, co] AS chain, [true, false, true, false, false] AS forward, [c, p, v, m, rule, t] AS along
RETURN c.id AS company, t.id AS concession, 'fulfilment' AS kind,
       [r IN chain | {type: type(r), start: startNode(r).id, end: endNode(r).id, props: properties(r)}] AS rels,
       forward,
       [n IN along | {label: labels(n)[0], props: properties(n)}] AS nodes

// name: company_exists
MATCH (n:Company {id: $id}) RETURN count(n) AS n

// name: concession_exists
MATCH (n:TariffConcession {id: $id}) RETURN count(n) AS n
