#!/usr/bin/env bash
# Writes a minimesosFile with N agents (default 10000) to stdout, laid out as
# `minimesos init` and the corpus files are: every property explicit, each
# agent with its four resource blocks (varied values and attributes).
# Usage: bench/gen_agents.sh [N]
set -eu
n=${1:-10000}
awk -v n="$n" 'BEGIN {
  print "minimesos {"
  print "    clusterName = \"bench\""
  print "    loggingLevel = \"INFO\""
  print "    mapAgentSandboxVolume = false"
  print "    mapPortsToHost = false"
  print "    mesosVersion = \"1.0.0\""
  print "    timeout = 60"
  print ""
  print "    master {"
  print "        imageName = \"containersol/mesos-master\""
  print "        loggingLevel = \"# INHERIT FROM CLUSTER\""
  print "    }"
  for (i = 0; i < n; i++) {
    print ""
    print "    agent {"
    print "        imageName = \"containersol/mesos-agent\""
    print "        imageTag = \"1.0.0-0.1.0\""
    print "        loggingLevel = \"# INHERIT FROM CLUSTER\""
    printf "        portNumber = %d\n", 5051 + i % 1000
    printf "        attributes = \"az:%da;rack:r%d\"\n", i % 3, i % 40
    print ""
    print "        resources {"
    print "            cpu {"
    print "                role = \"*\""
    printf "                value = %g\n", 1 + (i % 8) / 4
    print "            }"
    print "            mem {"
    print "                role = \"*\""
    printf "                value = %d\n", 512 * (1 + i % 8)
    print "            }"
    print "            disk {"
    print "                role = \"*\""
    printf "                value = %d\n", 2000 + i % 100
    print "            }"
    print "            ports {"
    print "                role = \"*\""
    printf "                value = \"[%d-%d]\"\n", 31000 + i % 100, 32000 + i % 100
    print "            }"
    print "        }"
    print "    }"
  }
  print ""
  print "    zookeeper {"
  print "        imageName = \"jplock/zookeeper\""
  print "        imageTag = \"3.4.6\""
  print "    }"
  print "}"
}'
