from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'org.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_ctx = resolve('ctx')
    l_0_body = resolve('body')
    pass
    yield '<!DOCTYPE html>\n<html lang="'
    yield str(('zh-CN' if (environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'lang') == 'zh') else 'en'))
    yield '">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>'
    yield str(environment.getattr(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'header'), 'org'))
    yield ' '
    yield str(environment.getattr(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'header'), 'period'))
    yield '</title>\n<style>\nbody{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC",sans-serif;max-width:1180px;margin:2em auto;padding:0 1em;line-height:1.6;color:#222}\ntable{border-collapse:collapse;width:100%;margin:1em 0;font-size:.92em}th,td{border:1px solid #ddd;padding:5px 8px;vertical-align:top}\nth{background:#f4f4f4}code{background:#f4f4f4;padding:0 3px;border-radius:3px}h1{font-size:1.6em}h2{border-bottom:1px solid #eee;padding-bottom:.2em}\n</style>\n</head>\n<body>\n'
    yield str((undefined(name='body') if l_0_body is missing else l_0_body))
    yield '\n</body>\n</html>\n'

blocks = {}
debug_info = '2=14&6=16&14=20'