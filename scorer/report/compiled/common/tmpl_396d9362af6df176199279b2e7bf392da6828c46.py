from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'report.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_ctx = resolve('ctx')
    l_0_sections = resolve('sections')
    l_0_c = l_0_words = missing
    try:
        t_1 = environment.filters['signed']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'signed' found.")
    try:
        t_2 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    l_0_c = context.vars['c'] = environment.get_template('charts.html.j2', 'report.html.j2')._get_default_module(context)
    context.exported_vars.discard('c')
    included_template = environment.get_template('words.j2', 'report.html.j2')._get_default_module(context)
    l_0_words = getattr(included_template, 'words', missing)
    if l_0_words is missing:
        l_0_words = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'report.html.j2') does not export the requested name 'words'", name='words')
    context.vars['words'] = l_0_words
    context.exported_vars.discard('words')
    yield '<!DOCTYPE html>\n<html lang="'
    yield str(('zh-CN' if (environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'lang') == 'zh') else 'en'))
    yield '">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>'
    yield str(environment.getattr(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'header'), 'display_name'))
    yield ' '
    yield str(environment.getattr(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'header'), 'period'))
    yield '</title>\n<style>\nbody{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC",sans-serif;max-width:1180px;margin:2em auto;padding:0 1em;line-height:1.6;color:#222}\ntable{border-collapse:collapse;width:100%;margin:1em 0;font-size:.92em}th,td{border:1px solid #ddd;padding:5px 8px;vertical-align:top}\nth{background:#f4f4f4}td.num{text-align:right}code{background:#f4f4f4;padding:0 3px;border-radius:3px}h1{font-size:1.6em}h2{border-bottom:1px solid #eee;padding-bottom:.2em}\n.cards{display:flex;flex-wrap:wrap;gap:12px;margin:1em 0}.card{flex:1 1 160px;border:1px solid #ddd;border-radius:8px;padding:10px 14px;background:#fafafa}\n.card .v{font-size:1.7em;font-weight:600}.card .k{color:#666;font-size:.9em}\n.with-chart{display:flex;flex-wrap:wrap;gap:20px;align-items:flex-start}.with-chart>.text{flex:3 1 520px;min-width:0}.with-chart>figure{flex:2 1 320px;margin:3.2em 0 0;position:sticky;top:1em}\nfigure svg{display:block;max-width:100%;height:auto}figcaption{color:#555;font-size:.88em;text-align:center;margin-top:4px}\n.chip{display:inline-block;background:#eef2f8;border:1px solid #c9d4e6;border-radius:10px;padding:0 8px;margin:1px 3px 1px 0;font-size:.85em;white-space:nowrap}\n.orig{color:#555;font-size:.9em}.meta{color:#777;font-size:.85em}details summary{cursor:pointer;color:#4477aa;font-size:.88em}\n</style>\n</head>\n<body>\n'
    for l_1_s in (undefined(name='sections') if l_0_sections is missing else l_0_sections):
        _loop_vars = {}
        pass
        if ((environment.getattr(l_1_s, 'name') == 'summary') and (not environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'empty'))):
            pass
            yield '<div class="cards">\n<div class="card"><div class="v">'
            yield str(environment.getattr(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'summary'), 'n_prs'))
            yield '</div><div class="k">'
            yield str(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'prs'))
            yield '</div></div>\n<div class="card"><div class="v">'
            yield str(environment.getattr(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'summary'), 'n_highlight'))
            yield '</div><div class="k">'
            yield str(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'highlighted'))
            yield '</div></div>\n<div class="card"><div class="v">'
            if (not t_2(environment.getattr(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'summary'), 'delta_prs'))):
                pass
                yield str(t_1(environment.getattr(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'summary'), 'delta_prs')))
            else:
                pass
                yield '–'
            yield '</div><div class="k">'
            yield str(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'wow'))
            if (not t_2(environment.getattr(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'summary'), 'prev_n_prs'))):
                pass
                yield ' ('
                yield str(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'prev'))
                yield ' '
                yield str(environment.getattr(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'summary'), 'prev_n_prs'))
                yield ')'
            yield '</div></div>\n<div class="card"><div class="v">'
            yield str(environment.getattr(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'summary'), 'avg_importance'))
            yield '</div><div class="k">'
            yield str(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'avg'))
            yield '</div></div>\n<div class="card"><div class="v">'
            if environment.getattr(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'summary'), 'top_risk'):
                pass
                yield str(environment.getattr(environment.getattr(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'summary'), 'top_risk'), 'count'))
            else:
                pass
                yield '0'
            yield '</div><div class="k">'
            yield str(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'top_risk'))
            yield ': '
            if environment.getattr(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'summary'), 'top_risk'):
                pass
                yield str(environment.getattr(environment.getattr(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'summary'), 'top_risk'), 'name'))
            else:
                pass
                yield str(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'none'))
            yield '</div></div>\n</div>\n'
        if environment.getattr(l_1_s, 'chart'):
            pass
            yield '<section class="with-chart"><div class="text">'
            yield str(environment.getattr(l_1_s, 'html'))
            yield '</div>\n<figure>'
            if (environment.getattr(environment.getattr(l_1_s, 'chart'), 'kind') == 'hist'):
                pass
                yield str(context.call(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'histogram'), environment.getattr(l_1_s, 'chart'), '#228833', (undefined(name='words') if l_0_words is missing else l_0_words), _loop_vars=_loop_vars))
            else:
                pass
                yield str(context.call(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'hbar'), environment.getattr(l_1_s, 'chart'), ('#4477aa' if (environment.getattr(l_1_s, 'name') == 'themes') else '#cc3311'), _loop_vars=_loop_vars))
            yield '<figcaption>'
            yield str(environment.getitem((undefined(name='words') if l_0_words is missing else l_0_words), environment.getattr(environment.getattr(l_1_s, 'chart'), 'caption')))
            yield '</figcaption></figure>\n</section>\n'
        else:
            pass
            yield str(environment.getattr(l_1_s, 'html'))
            yield '\n'
    l_1_s = missing
    yield '</body>\n</html>\n'

blocks = {}
debug_info = '1=26&2=28&4=35&8=37&22=41&23=44&25=47&26=51&27=55&28=71&29=75&32=91&33=94&34=96&37=107'