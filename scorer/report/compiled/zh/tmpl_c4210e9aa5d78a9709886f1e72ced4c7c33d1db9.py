from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'org.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_header = resolve('header')
    l_0_repos = resolve('repos')
    l_0_shared = resolve('shared')
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
        t_3 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_4 = environment.filters['prlist']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'prlist' found.")
    try:
        t_5 = environment.filters['replace']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'replace' found.")
    pass
    yield '# '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'org'))
    yield ' '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'year'))
    yield ' 年'
    if environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'week'):
        pass
        yield '第 '
        yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'week'))
        yield ' 周组织周报'
    else:
        pass
        yield '组织报告'
    yield ' ('
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'date_range'))
    yield ')\n\n- 组织: `'
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'org'))
    yield '`，共 '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'n_repos'))
    yield ' 个仓库: '
    l_1_loop = missing
    for l_1_r, l_1_loop in LoopContext((undefined(name='repos') if l_0_repos is missing else l_0_repos), undefined):
        _loop_vars = {}
        pass
        yield '`'
        yield str(environment.getattr(l_1_r, 'repo'))
        yield '` ('
        yield str(environment.getattr(l_1_r, 'n_prs'))
        yield ' 个 PR)'
        yield str(('、' if (not environment.getattr(l_1_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 3 in 'org.md.j2' evaluated to false and no else section was defined.")))
    l_1_loop = l_1_r = missing
    yield '\n- 时间范围: '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'start'))
    yield ' 至 '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'end'))
    yield ' ('
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'tz'))
    yield ')\n- 数据来源: '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'n_prs'))
    yield ' 个已合并 PR，其中 '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'n_highlight'))
    yield ' 个重点 PR；各仓库由各自的模型在各自的历史上打分；本报告由 scorer 自动生成\n\n## 跨仓库主题\n\n'
    if (undefined(name='shared') if l_0_shared is missing else l_0_shared):
        pass
        l_1_loop = missing
        for l_1_t, l_1_loop in LoopContext((undefined(name='shared') if l_0_shared is missing else l_0_shared), undefined):
            _loop_vars = {}
            pass
            yield '- **'
            yield str(environment.getattr(l_1_t, 'name'))
            yield '**: '
            yield str(t_3(environment.getattr(l_1_t, 'repos')))
            yield ' 个仓库共 '
            yield str(environment.getattr(l_1_t, 'total'))
            yield ' 个 PR ('
            l_2_loop = missing
            for l_2_r, l_2_loop in LoopContext(environment.getattr(l_1_t, 'repos'), undefined):
                _loop_vars = {}
                pass
                yield str(environment.getitem(context.call(environment.getattr(environment.getattr(l_2_r, 'repo'), 'split'), '/', _loop_vars=_loop_vars), -1))
                yield ': '
                yield str(environment.getattr(l_2_r, 'count'))
                yield ' 个，'
                yield str(t_4(environment.getattr(l_2_r, 'numbers')))
                yield str(('；' if (not environment.getattr(l_2_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 12 in 'org.md.j2' evaluated to false and no else section was defined.")))
            l_2_loop = l_2_r = missing
            yield ')\n'
        l_1_loop = l_1_t = missing
    else:
        pass
        yield '本周没有在多个仓库中各有 2 个以上 PR 的主题。\n'
    yield '\n'
    l_1_loop = missing
    for l_1_r, l_1_loop in LoopContext((undefined(name='repos') if l_0_repos is missing else l_0_repos), undefined):
        _loop_vars = {}
        pass
        yield '## '
        yield str(environment.getattr(l_1_r, 'display_name'))
        yield ' (`'
        yield str(environment.getattr(l_1_r, 'repo'))
        yield '`)\n\n'
        if environment.getattr(l_1_r, 'empty'):
            pass
            yield '本期没有已合并的 PR。\n'
        else:
            pass
            yield str(environment.getattr(l_1_r, 'n_prs'))
            yield ' 个已合并 PR，'
            yield str(environment.getattr(l_1_r, 'n_highlight'))
            yield ' 个重点 PR (模型 '
            yield str(environment.getattr(l_1_r, 'model'))
            yield ')'
            if environment.getattr(environment.getattr(l_1_r, 'summary'), 'kinds'):
                pass
                yield '；以'
                l_2_loop = missing
                for l_2_k, l_2_loop in LoopContext(environment.getattr(environment.getattr(l_1_r, 'summary'), 'kinds'), undefined):
                    _loop_vars = {}
                    pass
                    yield str(environment.getattr(l_2_k, 'name'))
                    yield ' ('
                    yield str(environment.getattr(l_2_k, 'count'))
                    yield ')'
                    yield str(('、' if (not environment.getattr(l_2_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 24 in 'org.md.j2' evaluated to false and no else section was defined.")))
                l_2_loop = l_2_k = missing
                yield '为主'
            yield '。\n'
            if environment.getattr(l_1_r, 'themes'):
                pass
                yield '主要主题: '
                l_2_loop = missing
                for l_2_t, l_2_loop in LoopContext(environment.getattr(l_1_r, 'themes'), undefined):
                    _loop_vars = {}
                    pass
                    yield str(environment.getattr(l_2_t, 'name'))
                    yield ' ('
                    yield str(environment.getattr(l_2_t, 'count'))
                    yield ' 个 PR)'
                    yield str(('、' if (not environment.getattr(l_2_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 26 in 'org.md.j2' evaluated to false and no else section was defined.")))
                l_2_loop = l_2_t = missing
                yield '。\n'
            if environment.getattr(l_1_r, 'risks'):
                pass
                yield '风险: '
                l_2_loop = missing
                for l_2_k, l_2_loop in LoopContext(environment.getattr(l_1_r, 'risks'), undefined):
                    _loop_vars = {}
                    pass
                    yield str(environment.getattr(l_2_k, 'name'))
                    yield ' ('
                    yield str(environment.getattr(l_2_k, 'count'))
                    yield ')'
                    yield str(('、' if (not environment.getattr(l_2_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 29 in 'org.md.j2' evaluated to false and no else section was defined.")))
                l_2_loop = l_2_k = missing
                yield '。\n'
            yield '\n| PR | 重要性 | 摘要 | 风险标签 |\n|---|---|---|---|\n'
            for l_2_p in environment.getattr(l_1_r, 'top'):
                _loop_vars = {}
                pass
                yield '| [#'
                yield str(environment.getattr(l_2_p, 'number'))
                yield ']('
                yield str(environment.getattr(l_2_p, 'url'))
                yield ') | '
                yield str(t_1('%.1f', environment.getattr(l_2_p, 'importance')))
                yield ' | '
                yield str(t_5(context.eval_ctx, environment.getattr(l_2_p, 'summary'), '|', '/'))
                yield ' | '
                yield str(t_2(context.eval_ctx, environment.getattr(l_2_p, 'tags'), '、'))
                yield ' |\n'
            l_2_p = missing
        yield '\n'
    l_1_loop = l_1_r = missing
    yield '## 全组织重点 PR\n\n按各仓库自己的重要性评分排序 (各仓库模型不同，分数首先在仓库内可比)。\n\n| 仓库 | PR | 重要性 | 摘要 | 风险标签 |\n|---|---|---|---|---|\n'
    for l_1_p in (undefined(name='top') if l_0_top is missing else l_0_top):
        _loop_vars = {}
        pass
        yield '| '
        yield str(environment.getattr(l_1_p, 'display_name'))
        yield ' | [#'
        yield str(environment.getattr(l_1_p, 'number'))
        yield ']('
        yield str(environment.getattr(l_1_p, 'url'))
        yield ') | '
        yield str(t_1('%.1f', environment.getattr(l_1_p, 'importance')))
        yield ' | '
        yield str(t_5(context.eval_ctx, environment.getattr(l_1_p, 'summary'), '|', '/'))
        yield ' | '
        yield str(t_2(context.eval_ctx, environment.getattr(l_1_p, 'tags'), '、'))
        yield ' |\n'
    l_1_p = missing

blocks = {}
debug_info = '1=46&3=61&5=77&6=83&10=87&11=90&12=94&18=118&19=122&21=126&24=131&25=152&26=156&28=166&29=170&34=181&35=185&46=199&47=203'