
#compdef aicost

_aicost_completion() {
  eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _AICOST_COMPLETE=complete_zsh aicost)
}

compdef _aicost_completion aicost

