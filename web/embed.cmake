# Builds the web app's pages into C arrays (node/web.c serves them):
# cmake -DSRC=web -DOUT=web_assets.c -P embed.cmake. No file is read at
# run time, so the node serves exactly what was built and reviewed.
set(out "/* generated from web/ by web/embed.cmake; do not edit */\n#include <stddef.h>\n")
foreach(pair "index.html;pl_web_index_html" "app.js;pl_web_app_js" "app.css;pl_web_app_css")
    list(GET pair 0 file)
    list(GET pair 1 name)
    file(READ ${SRC}/${file} hex HEX)
    string(LENGTH "${hex}" n)
    math(EXPR bytes "${n} / 2")
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
    string(APPEND out "const unsigned char ${name}[] = {${body}0};\n")
    string(APPEND out "const size_t ${name}_len = ${bytes};\n")
endforeach()
file(WRITE ${OUT}.tmp "${out}")
file(RENAME ${OUT}.tmp ${OUT})
