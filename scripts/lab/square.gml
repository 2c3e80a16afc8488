# Tiny Topology-Zoo-style test graph: a 4-node square with one diagonal.
# Used by scripts/lab.sh --topology scripts/lab/square.gml (5 links).
graph [
  directed 0
  label "PDSNO square"
  node [
    id 0
    label "North West"
    Country "Lab"
    graphics [ x 0 y 0 ]
  ]
  node [
    id 1
    label "North East"
  ]
  node [
    id 2
    label "South East"
  ]
  node [
    id 3
    label "South West"
  ]
  edge [
    source 0
    target 1
    LinkLabel "top"
  ]
  edge [
    source 1
    target 2
  ]
  edge [
    source 2
    target 3
  ]
  edge [
    source 3
    target 0
  ]
  edge [
    source 0
    target 2
    LinkLabel "diagonal"
  ]
]
