from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'summary.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    try:
        t_1 = environment.filters['gain']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'gain' found.")
    try:
        t_2 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
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
    try:
        t_5 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield '## 执行摘要\n\n'
    l_1_summary = resolve('summary')
    t_6 = []
    pass
    t_6.extend((
        '本周共合并 ',
        str(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'n_prs')),
        ' 个 PR',
    ))
    if (not t_5(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'delta_prs'))):
        pass
        t_6.append(
            '，比上周',
        )
        if (environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'delta_prs') > 0):
            pass
            t_6.extend((
                '多 ',
                str(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'delta_prs')),
                ' 个',
            ))
        elif (environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'delta_prs') < 0):
            pass
            t_6.extend((
                '少 ',
                str((-environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'delta_prs'))),
                ' 个',
            ))
        else:
            pass
            t_6.append(
                '持平',
            )
        t_6.extend((
            ' (上周 ',
            str(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'prev_n_prs')),
            ' 个)',
        ))
    t_6.extend((
        '，其中 ',
        str(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'n_highlight')),
        ' 个为重点 PR，平均重要性 ',
        str(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'avg_importance')),
        ' 分。\n',
    ))
    if environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'):
        pass
        if (environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'), 'situation') == 'first'):
            pass
            t_6.extend((
                '本周的新主线是「',
                str(environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'), 'name')),
                '」，一周内合并了 ',
                str(environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'), 'count')),
                ' 个 PR',
            ))
        elif (environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'), 'situation') == 'fix_wave'):
            pass
            t_6.extend((
                '「',
                str(environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'), 'name')),
                '」仍是焦点 (',
                str(environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'), 'count')),
                ' 个 PR)，但已转入修复',
            ))
        else:
            pass
            t_6.extend((
                '最大的主题是「',
                str(environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'), 'name')),
                '」(',
                str(environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'), 'count')),
                ' 个 PR)',
            ))
        if (t_2(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'themes')) > 1):
            pass
            t_6.append(
                '，其次是',
            )
            l_2_loop = missing
            for l_2_t, l_2_loop in LoopContext(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'themes')[1:], undefined):
                _loop_vars = {}
                pass
                t_6.append(
                    str(l_2_t),
                )
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    t_6.append(
                        '、',
                    )
            l_2_loop = l_2_t = missing
        t_6.append(
            '。',
        )
    if environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'new_models'):
        pass
        t_6.extend((
            '新增模型 ',
            str(t_2(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'new_models'))),
            ' 个 (',
            str(t_4(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'new_models'))),
            ')。',
        ))
    if environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'gains'):
        pass
        t_6.append(
            'PR 中给出的端到端实测收益有',
        )
        l_2_loop = missing
        for l_2_g, l_2_loop in LoopContext(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'gains'), undefined):
            _loop_vars = {}
            pass
            t_6.extend((
                ' #',
                str(environment.getattr(l_2_g, 'number')),
                ' ',
                str(t_1(l_2_g)),
            ))
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                t_6.append(
                    '、',
                )
        l_2_loop = l_2_g = missing
        t_6.append(
            '。',
        )
    if environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'kinds'):
        pass
        t_6.append(
            '变更类型以',
        )
        l_2_loop = missing
        for l_2_k, l_2_loop in LoopContext(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'kinds'), undefined):
            _loop_vars = {}
            pass
            t_6.extend((
                str(environment.getattr(l_2_k, 'name')),
                ' (',
                str(environment.getattr(l_2_k, 'count')),
                ')',
            ))
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                t_6.append(
                    '、',
                )
        l_2_loop = l_2_k = missing
        t_6.append(
            '为主。',
        )
    if environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'hot_files'):
        pass
        t_6.append(
            '改动最频繁的文件是',
        )
        l_2_loop = missing
        for l_2_f, l_2_loop in LoopContext(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'hot_files'), undefined):
            _loop_vars = {}
            pass
            t_6.extend((
                ' `',
                str(environment.getattr(l_2_f, 'file')),
                '` (',
                str(environment.getattr(l_2_f, 'prs')),
                ' 个 PR)',
            ))
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                t_6.append(
                    '、',
                )
        l_2_loop = l_2_f = missing
        t_6.append(
            '。',
        )
    if environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'top_risk'):
        pass
        t_6.extend((
            '最常见的风险标签是「',
            str(environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'top_risk'), 'name')),
            '」，涉及 ',
            str(environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'top_risk'), 'count')),
            ' 个 PR',
        ))
        if (t_2(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'tags')) > 1):
            pass
            t_6.append(
                '，其次是',
            )
            l_2_loop = missing
            for l_2_t, l_2_loop in LoopContext(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'tags')[1:], undefined):
                _loop_vars = {}
                pass
                t_6.extend((
                    '「',
                    str(environment.getattr(l_2_t, 'name')),
                    '」',
                    str(environment.getattr(l_2_t, 'count')),
                    ' 个',
                ))
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    t_6.append(
                        '、',
                    )
            l_2_loop = l_2_t = missing
        t_6.append(
            '。',
        )
    if environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'rising'):
        pass
        t_6.append(
            '与前几周相比，',
        )
        l_2_loop = missing
        for l_2_t, l_2_loop in LoopContext(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'rising'), undefined):
            _loop_vars = {}
            pass
            t_6.append(
                str(l_2_t),
            )
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                t_6.append(
                    '、',
                )
        l_2_loop = l_2_t = missing
        t_6.append(
            '的活跃度明显上升。',
        )
    yield t_3(concat(t_6))
    l_1_summary = missing

blocks = {}
debug_info = '4=47&5=86&6=136&7=145&8=169&9=193&10=218&11=252&3=273'