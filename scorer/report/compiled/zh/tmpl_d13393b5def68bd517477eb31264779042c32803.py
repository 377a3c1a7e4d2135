from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'top.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_top = resolve('top')
    try:
        t_1 = environment.filters['format']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'format' found.")
    try:
        t_2 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_3 = environment.filters['replace']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'replace' found.")
    pass
    yield '## 重点 PR 速览\n\n| PR | 重要性 | 摘要 | 原标题 | 风险标签 |\n|---|---|---|---|---|\n'
    for l_1_p in (undefined(name='top') if l_0_top is missing else l_0_top):
        _loop_vars = {}
        pass
        yield '| [#'
        yield str(environment.getattr(l_1_p, 'number'))
        yield ']('
        yield str(environment.getattr(l_1_p, 'url'))
        yield ') | '
        yield str(t_1('%.1f', environment.getattr(l_1_p, 'importance')))
        yield ' | '
        yield str(t_3(context.eval_ctx, environment.getattr(l_1_p, 'summary'), '|', '/'))
        yield ' | '
        yield str(t_3(context.eval_ctx, environment.getattr(l_1_p, 'title'), '|', '/'))
        yield ' | '
        yield str(t_2(context.eval_ctx, environment.getattr(l_1_p, 'tags'), '、'))
        yield ' |\n'
    l_1_p = missing

blocks = {}
debug_info = '5=31&6=35'