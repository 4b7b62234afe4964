# bash completion for parley (issue 15 §4). Installed as
# share/bash-completion/completions/parley; or source it from ~/.bashrc.
# The commands and each command's flags come from parley's own --help, so
# they never drift from the program; case ids come from the local node
# (parley cases --json), for the commands that take a case first.

_parley_home() { # the --home of the line being completed, if any
    local i
    for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
        [[ ${COMP_WORDS[i]} == --home ]] && { printf '%s' "${COMP_WORDS[i + 1]}"; return; }
    done
}

_parley() {
    local cur prev verb
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()
    if ((COMP_CWORD == 1)); then
        COMPREPLY=($(compgen -W "$(LANGUAGE=en parley --help 2>/dev/null |
            awk '/^  [a-z]/ { print $1 }')" -- "$cur"))
        return
    fi
    verb=${COMP_WORDS[1]}
    case $prev in
    -o | --terms | --passphrase-file | --new-passphrase-file | --trust | --file | --config)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    --home)
        COMPREPLY=($(compgen -d -- "$cur"))
        return
        ;;
    --kdf)
        COMPREPLY=($(compgen -W "interactive moderate min" -- "$cur"))
        return
        ;;
    --procedure)
        COMPREPLY=($(compgen -W "speedy summary ordinary" -- "$cur"))
        return
        ;;
    --decision)
        COMPREPLY=($(compgen -W "adopted partly_adopted not_adopted" -- "$cur"))
        return
        ;;
    --stage)
        COMPREPLY=($(compgen -W "review trial" -- "$cur"))
        return
        ;;
    --mode)
        COMPREPLY=($(compgen -W "in_person video written" -- "$cur"))
        return
        ;;
    --as)
        COMPREPLY=($(compgen -W "prosecution suspect counsel victim observer" -- "$cur"))
        return
        ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(LANGUAGE=en parley "$verb" --help 2>&1 |
            grep -o -- '--[a-z][a-z-]*' | sort -u)" -- "$cur"))
        return
    fi
    case $verb in
    keygen | key | verify | trust) COMPREPLY=($(compgen -f -- "$cur")) ;;
    status | cases | stop | ui | connect | disconnect | invitations) ;;
    *)
        # the first argument of a case verb: the node's case ids
        if ((COMP_CWORD == 2)) || [[ ${COMP_WORDS[2]} == --home && COMP_CWORD == 4 ]]; then
            local home ids
            home=$(_parley_home)
            ids=$(parley cases ${home:+--home "$home"} --json 2>/dev/null |
                grep -o '"case":"[0-9a-f]*"' | cut -d'"' -f4)
            COMPREPLY=($(compgen -W "$ids" -- "$cur"))
        else
            COMPREPLY=($(compgen -f -- "$cur"))
        fi
        ;;
    esac
}
complete -F _parley parley
