from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'header.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_header = resolve('header')
    pass
    yield '# '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'display_name'))
    yield ' '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'year'))
    yield ' 年'
    if environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'week'):
        pass
        yield '第 '
        yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'week'))
        yield ' 周周报'
    else:
        pass
        yield '报告'
    yield ' ('
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'date_range'))
    yield ')\n\n- 仓库: `'
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'repo'))
    yield '`\n- 时间范围: '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'start'))
    yield ' 至 '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'end'))
    yield ' ('
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'tz'))
    yield ')\n- 数据来源: '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'n_prs'))
    yield ' 个已合并 PR，其中 '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'n_highlight'))
    yield ' 个重点 PR；本报告由 scorer 自动生成 (模型 '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'model'))
    yield ' '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'model_version'))
    yield ')\n'

blocks = {}
debug_info = '1=13&3=28&4=30&5=36'