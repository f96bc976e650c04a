# bash completion for minimesos(1)
#
# Use it in the current shell:   . completion/minimesos.bash
# Install it for every shell:    cp completion/minimesos.bash \
#                                   /usr/share/bash-completion/completions/minimesos
#
# Completes the global options, the command names, each command's options,
# the values of options that take one of a fixed set (--format, --to, --for, --pull,
# --mesos-version, --services, --mapPortsToHost), and file names where a
# command takes a file (--clusterConfig, --app, --group, --marathonFile, and
# the FILE arguments of lint, fmt and convert), agent's subcommands, the
# roles of stop and start, and wait's task states. It needs nothing but bash.
#
# init's usage names --no-SERVICE: it stands for --no-marathon, --no-consul,
# --no-registrator and --no-mesosdns, which are completed one by one.

_minimesos_commands="init lint config convert schema fmt lsp up run destroy info state ps logs install uninstall agent stop start wait version help"
_minimesos_global_opts="--debug --quiet -q --help -h --version"

# Print the options of command $1, one string.
_minimesos_opts() {
    case $1 in
        init)      echo "--force --stdout --agents --mesos-version --services --no-marathon --no-consul --no-registrator --no-mesosdns --help" ;;
        lint)      echo "--format --werror --swarm --help" ;;
        config)    echo "--clusterConfig --format --compact --bind-address --help" ;;
        convert)   echo "--to --help" ;;
        schema)    echo "--for --help" ;;
        fmt)       echo "--check --diff --help" ;;
        lsp)       echo "--stdio --help" ;;
        up)        echo "--clusterConfig --mapPortsToHost --num-agents --numAgents --timeout --pull --bind-address --retain --cleanup-on-failure --rm-on-failure --dry-run --format --swarm --engine --place --quiet -q --help" ;;
        run)       echo "--clusterConfig --mapPortsToHost --num-agents --numAgents --timeout --pull --bind-address --retain --cleanup-on-failure --rm-on-failure --quiet -q --help" ;;
        state)     echo "--agent --help" ;;
        logs)      echo "--task --stderr --help" ;;
        install)   echo "--app --group --marathonFile --stdin --update --help" ;;
        uninstall) echo "--app --group --help" ;;
        agent)     echo "--like --count --timeout --quiet -q --help" ;;
        stop)      echo "--quiet -q --help" ;;
        start)     echo "--timeout --quiet -q --help" ;;
        wait)      echo "--agents --task --state --app --timeout --quiet -q --help" ;;
        destroy|info|ps|version) echo "--help" ;;
        *)         echo "" ;;
    esac
}

# Options of command $1 that take a value (the next word, or after '=').
_minimesos_takes_value() {
    case $1:$2 in
        init:--agents|init:--mesos-version|init:--services) return 0 ;;
        lint:--format|config:--format|config:--clusterConfig|config:--bind-address|convert:--to|schema:--for) return 0 ;;
        up:--clusterConfig|up:--num-agents|up:--numAgents|up:--timeout|up:--pull|up:--bind-address) return 0 ;;
        run:--clusterConfig|run:--num-agents|run:--numAgents|run:--timeout|run:--pull|run:--bind-address) return 0 ;;
        state:--agent|logs:--task) return 0 ;;
        install:--app|install:--group|install:--marathonFile) return 0 ;;
        uninstall:--app|uninstall:--group) return 0 ;;
        agent:--like|agent:--count|agent:--timeout|start:--timeout) return 0 ;;
        wait:--agents|wait:--task|wait:--state|wait:--app|wait:--timeout) return 0 ;;
    esac
    return 1
}

_minimesos_files() {
    local IFS=$'\n'
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$1"))
}

_minimesos_words() {
    local IFS=$' \t\n'
    COMPREPLY=($(compgen -W "$1" -- "$2"))
}

# Complete the value of option $2 of command $1; the word so far is $3.
# Returns 1 when the option's value has no completion.
_minimesos_value() {
    local cmd=$1 opt=$2 cur=$3
    case $cmd:$opt in
        lint:--format)   _minimesos_words "text json gcc sarif" "$cur" ;;
        config:--format) _minimesos_words "json minimesosFile compose stack" "$cur" ;;
        convert:--to)    _minimesos_words "json minimesosFile" "$cur" ;;
        schema:--for)    _minimesos_words "config convert" "$cur" ;;
        up:--pull|run:--pull) _minimesos_words "missing always never" "$cur" ;;
        up:--mapPortsToHost|run:--mapPortsToHost) _minimesos_words "true false" "$cur" ;;
        up:--bind-address|run:--bind-address)     _minimesos_words "127.0.0.1 0.0.0.0" "$cur" ;;
        wait:--state)
            _minimesos_words "TASK_STAGING TASK_STARTING TASK_RUNNING TASK_FINISHED TASK_FAILED TASK_KILLED TASK_LOST" "$cur" ;;
        init:--mesos-version)
            _minimesos_words "0.25 0.25.0 0.26 0.27 0.28 0.28.0 0.28.1 1.0.0" "$cur" ;;
        init:--services)
            # A comma-separated list: complete the part after the last comma.
            local done="" part=$cur
            if [[ $cur == *,* ]]; then
                done=${cur%,*},
                part=${cur##*,}
            fi
            local IFS=$' \t\n' s
            COMPREPLY=()
            for s in marathon consul registrator mesosdns all none; do
                [[ $s == "$part"* ]] && COMPREPLY+=("$done$s")
            done
            compopt -o nospace 2>/dev/null
            ;;
        config:--clusterConfig|up:--clusterConfig|run:--clusterConfig|install:--app|install:--group|install:--marathonFile)
            _minimesos_files "$cur" ;;
        *) COMPREPLY=(); return 1 ;;
    esac
    return 0
}

_minimesos() {
    COMPREPLY=()
    local cword=$COMP_CWORD
    local cur=${COMP_WORDS[cword]}
    local prev=""
    ((cword > 0)) && prev=${COMP_WORDS[cword - 1]}

    # The command: the first word after the global options.
    local i cmd="" cmd_at=0
    for ((i = 1; i < cword; i++)); do
        case ${COMP_WORDS[i]} in
            -*) ;;
            *) cmd=${COMP_WORDS[i]}; cmd_at=$i; break ;;
        esac
    done

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            _minimesos_words "$_minimesos_global_opts" "$cur"
        else
            _minimesos_words "$_minimesos_commands" "$cur"
        fi
        return 0
    fi

    if [[ $cmd == help ]]; then
        # `minimesos help help` is not a thing: offer the other commands.
        ((cword == cmd_at + 1)) && _minimesos_words "${_minimesos_commands% help}" "$cur"
        return 0
    fi

    # run ... -- COMMAND [ARG...]: a command name, then its arguments (files).
    if [[ $cmd == run ]]; then
        local j
        for ((j = cmd_at + 1; j < cword; j++)); do
            if [[ ${COMP_WORDS[j]} == -- ]]; then
                if ((cword == j + 1)); then
                    local IFS=$'\n'
                    COMPREPLY=($(compgen -c -- "$cur"))
                else
                    _minimesos_files "$cur"
                fi
                return 0
            fi
        done
    fi

    # --opt=value: bash splits it at '=' (COMP_WORDBREAKS), so the word is
    # either '=' itself or the part after it.
    if [[ $cur == = && $prev == --* ]]; then
        _minimesos_value "$cmd" "$prev" ""
        return 0
    fi
    if [[ $prev == = ]] && ((cword >= 2)) && [[ ${COMP_WORDS[cword - 2]} == --* ]]; then
        _minimesos_value "$cmd" "${COMP_WORDS[cword - 2]}" "$cur"
        return 0
    fi
    # The same when '=' is not a word break: the word is --opt=value.
    if [[ $cur == --*=* ]]; then
        local opt=${cur%%=*} val=${cur#*=}
        _minimesos_value "$cmd" "$opt" "$val"
        local k
        for k in "${!COMPREPLY[@]}"; do COMPREPLY[k]="$opt=${COMPREPLY[k]}"; done
        return 0
    fi

    # The value of the previous option.
    if [[ $prev == --* ]] && ((cword - 1 > cmd_at)); then
        if _minimesos_takes_value "$cmd" "$prev"; then
            _minimesos_value "$cmd" "$prev" "$cur"
            return 0
        fi
        # --mapPortsToHost may take true or false as the next word.
        if [[ ($cmd:$prev == up:--mapPortsToHost || $cmd:$prev == run:--mapPortsToHost) && $cur != -* ]]; then
            _minimesos_value "$cmd" "$prev" "$cur"
            return 0
        fi
    fi

    if [[ $cur == -* ]]; then
        local opts
        opts=$(_minimesos_opts "$cmd")
        # '-' alone is also the standard-input argument of these commands.
        case $cmd in
            init|lint|fmt|convert) [[ $cur == - ]] && opts="- $opts" ;;
        esac
        _minimesos_words "$opts" "$cur"
        return 0
    fi

    # Plain arguments.
    case $cmd in
        lint|fmt|convert) _minimesos_files "$cur" ;;
        agent|stop|start)
            # The first plain word after the command: agent's subcommand, or
            # the role of stop and start.
            local j first=""
            for ((j = cmd_at + 1; j < cword; j++)); do
                case ${COMP_WORDS[j]} in
                    --like|--count|--timeout) ((j++)) ;;
                    -*) ;;
                    *) first=${COMP_WORDS[j]}; break ;;
                esac
            done
            if [[ -z $first ]]; then
                if [[ $cmd == agent ]]; then
                    _minimesos_words "add list stop start remove" "$cur"
                else
                    _minimesos_words "master marathon zookeeper consul registrator mesosdns" "$cur"
                fi
            fi
            ;;
    esac
    return 0
}

complete -F _minimesos minimesos
