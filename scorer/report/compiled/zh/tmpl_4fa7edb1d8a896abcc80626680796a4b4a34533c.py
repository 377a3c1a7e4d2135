from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'themes.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_themes = resolve('themes')
    l_0_themes_rest = resolve('themes_rest')
    try:
        t_1 = environment.filters['gain']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'gain' found.")
    try:
        t_2 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_3 = environment.filters['oneline']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'oneline' found.")
    try:
        t_4 = environment.filters['prlist']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'prlist' found.")
    pass
    yield '## 本周重点变化\n\n'
    l_1_loop = missing
    for l_1_t, l_1_loop in LoopContext((undefined(name='themes') if l_0_themes is missing else l_0_themes), undefined):
        l_1_v = missing
        _loop_vars = {}
        pass
        l_1_v = (environment.getattr(l_1_loop, 'index0') % 3)
        _loop_vars['v'] = l_1_v
        yield '### '
        yield str(environment.getattr(l_1_loop, 'index'))
        yield '. '
        yield str(environment.getattr(l_1_t, 'name'))
        if (environment.getattr(l_1_t, 'kind') == 'model'):
            pass
            yield ' (模型)'
        elif (environment.getattr(l_1_t, 'kind') == 'platform'):
            pass
            yield ' (平台)'
        elif (environment.getattr(l_1_t, 'kind') == 'burst'):
            pass
            yield ' (本周热点)'
        yield '\n\n'
        l_2_story_weeks = resolve('story_weeks')
        t_5 = []
        pass
        if (environment.getattr(l_1_t, 'situation') == 'first'):
            pass
            t_5.extend((
                '「',
                str(environment.getattr(l_1_t, 'name')),
                '」是本周新出现的主题：前 ',
                str((undefined(name='story_weeks') if l_2_story_weeks is missing else l_2_story_weeks)),
                ' 周没有相关 PR，本周合并了 ',
                str(environment.getattr(l_1_t, 'count')),
                ' 个。',
            ))
        elif (environment.getattr(l_1_t, 'situation') == 'fix_wave'):
            pass
            t_5.extend((
                '「',
                str(environment.getattr(l_1_t, 'name')),
                '」进入修复期：本周 ',
                str(environment.getattr(l_1_t, 'count')),
                ' 个 PR 中有 ',
                str(environment.getattr(l_1_t, 'fixes')),
                ' 个是修复。',
            ))
        elif (environment.getattr(l_1_t, 'situation') == 'rising'):
            pass
            t_5.extend((
                str(environment.getattr(l_1_t, 'name')),
                '明显升温：本周 ',
                str(environment.getattr(l_1_t, 'count')),
                ' 个 PR，前几周平均每周 ',
                str(environment.getattr(l_1_t, 'weekly_before')),
                ' 个。',
            ))
        elif (environment.getattr(l_1_t, 'situation') == 'refactor'):
            pass
            t_5.extend((
                str(environment.getattr(l_1_t, 'name')),
                '本周以重构为主：',
                str(environment.getattr(l_1_t, 'count')),
                ' 个 PR，共改动 ',
                str(environment.getattr(l_1_t, 'lines')),
                ' 行。',
            ))
        elif (environment.getattr(l_1_t, 'situation') == 'performance'):
            pass
            t_5.extend((
                str(environment.getattr(l_1_t, 'name')),
                '的 ',
                str(environment.getattr(l_1_t, 'count')),
                ' 个 PR 集中在性能上。',
            ))
        elif ((undefined(name='v') if l_1_v is missing else l_1_v) == 0):
            pass
            t_5.extend((
                str(environment.getattr(l_1_t, 'name')),
                '本周有 ',
                str(environment.getattr(l_1_t, 'count')),
                ' 个 PR。',
            ))
        elif ((undefined(name='v') if l_1_v is missing else l_1_v) == 1):
            pass
            t_5.extend((
                str(environment.getattr(l_1_t, 'name')),
                '方向合并了 ',
                str(environment.getattr(l_1_t, 'count')),
                ' 个 PR。',
            ))
        else:
            pass
            t_5.extend((
                '本周',
                str(environment.getattr(l_1_t, 'name')),
                '共 ',
                str(environment.getattr(l_1_t, 'count')),
                ' 个 PR。',
            ))
        if ((environment.getattr(l_1_t, 'kind') == 'module') and environment.getattr(l_1_t, 'elsewhere')):
            pass
            t_5.extend((
                '该领域本周共 ',
                str(environment.getattr(l_1_t, 'module_total')),
                ' 个 PR，其中 ',
                str(environment.getattr(l_1_t, 'elsewhere')),
                ' 个已归入上面的主题。',
            ))
        if (environment.getattr(l_1_t, 'count') > 1):
            pass
            t_5.append(
                '类型上',
            )
            l_3_loop = missing
            for l_3_k, l_3_loop in LoopContext(environment.getattr(l_1_t, 'kinds'), undefined):
                _loop_vars = {}
                pass
                t_5.extend((
                    str(environment.getattr(l_3_k, 'name')),
                    ' ',
                    str(environment.getattr(l_3_k, 'count')),
                    ' 个',
                ))
                if (not environment.getattr(l_3_loop, 'last')):
                    pass
                    t_5.append(
                        '、',
                    )
            l_3_loop = l_3_k = missing
            t_5.append(
                '。',
            )
        if ((undefined(name='v') if l_1_v is missing else l_1_v) == 0):
            pass
            t_5.append(
                '最重要的是',
            )
        elif ((undefined(name='v') if l_1_v is missing else l_1_v) == 1):
            pass
            t_5.append(
                '值得关注的是',
            )
        else:
            pass
            t_5.append(
                '分量最重的是',
            )
        l_3_loop = missing
        for l_3_p, l_3_loop in LoopContext(environment.getattr(l_1_t, 'prs'), undefined):
            _loop_vars = {}
            pass
            t_5.extend((
                ' #',
                str(environment.getattr(l_3_p, 'number')),
                ' (',
                str(environment.getattr(l_3_p, 'summary')),
                '，',
                str(environment.getattr(l_3_p, 'importance')),
                ' 分)',
            ))
            if (not environment.getattr(l_3_loop, 'last')):
                pass
                t_5.append(
                    '、',
                )
        l_3_loop = l_3_p = missing
        t_5.append(
            '。\n',
        )
        if environment.getattr(l_1_t, 'new_models'):
            pass
            t_5.extend((
                '其中新模型 ',
                str(t_4(environment.getattr(l_1_t, 'new_models'))),
                '。',
            ))
        if environment.getattr(l_1_t, 'gains'):
            pass
            t_5.append(
                'PR 给出的实测数字：',
            )
            l_3_loop = missing
            for l_3_g, l_3_loop in LoopContext(environment.getattr(l_1_t, 'gains'), undefined):
                _loop_vars = {}
                pass
                t_5.extend((
                    '#',
                    str(environment.getattr(l_3_g, 'number')),
                    ' ',
                    str(t_1(l_3_g)),
                ))
                if (not environment.getattr(l_3_loop, 'last')):
                    pass
                    t_5.append(
                        '、',
                    )
            l_3_loop = l_3_g = missing
            t_5.append(
                '。',
            )
        if environment.getattr(l_1_t, 'hardware'):
            pass
            t_5.extend((
                '涉及硬件：',
                str(t_2(context.eval_ctx, environment.getattr(l_1_t, 'hardware'), '、')),
                '。',
            ))
        yield t_3(concat(t_5))
        l_2_story_weeks = missing
        yield '\n\n'
    l_1_loop = l_1_t = l_1_v = missing
    if environment.getattr((undefined(name='themes_rest') if l_0_themes_rest is missing else l_0_themes_rest), 'stories'):
        pass
        yield '其余 '
        yield str(environment.getattr((undefined(name='themes_rest') if l_0_themes_rest is missing else l_0_themes_rest), 'prs'))
        yield ' 个 PR 分散在 '
        yield str(environment.getattr((undefined(name='themes_rest') if l_0_themes_rest is missing else l_0_themes_rest), 'stories'))
        yield ' 个较小的主题中。\n\n'

blocks = {}
debug_info = '3=39&4=43&5=46&9=62&10=137&11=146&12=170&13=207&14=214&15=238&8=245&20=249'