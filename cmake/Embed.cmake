# Embeds a text file as a C++ raw string literal: -DIN=<file> -DOUT=<.inc>
file(READ "${IN}" content)
if(content MATCHES "\\)sysaxis_embed\"")
  message(FATAL_ERROR "Embed: ${IN} contains the raw-string delimiter")
endif()
file(WRITE "${OUT}.tmp" "R\"sysaxis_embed(${content})sysaxis_embed\"\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
