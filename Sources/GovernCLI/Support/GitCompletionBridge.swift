/// What makes `git govern <TAB>` complete under git's own bash completion: git calls a function
/// named `_git_govern` for the `govern` subcommand (loading the `git-govern` completion file to
/// find it). The generated `_git-govern` expects the words of `git-govern …`, so the bridge
/// rewrites `git [options] govern …` into that form (keeping git's `-C <dir>`, which
/// git-govern takes too, so ids come from that repository) and lets it answer.
enum GitCompletionBridge {
  static let bash = #"""
    # `git govern …` under git's bash completion: complete as if `git-govern …` had been typed.
    _git_govern() {
        local -i at
        local -a directories=()
        local command="git-govern"
        for ((at = 1; at < COMP_CWORD; at++)); do
            case "${COMP_WORDS[at]}" in
            govern) break ;;
            -C)
                directories+=(-C "${COMP_WORDS[at + 1]}")
                command+=" -C ${COMP_WORDS[at + 1]}"
                ((at++))
                ;;
            esac
        done
        [[ "${COMP_WORDS[at]}" == govern ]] || return 0
        local prefix="${COMP_LINE%%govern*}govern"
        local -a COMP_WORDS=("git-govern" "${directories[@]}" "${COMP_WORDS[@]:at+1}")
        local -i COMP_CWORD=$((COMP_CWORD - at + ${#directories[@]}))
        local COMP_LINE="${command}${COMP_LINE#"${prefix}"}"
        local -i COMP_POINT=$((COMP_POINT - ${#prefix} + ${#command}))
        COMPREPLY=()
        _git-govern git-govern "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    }
    """#
}
