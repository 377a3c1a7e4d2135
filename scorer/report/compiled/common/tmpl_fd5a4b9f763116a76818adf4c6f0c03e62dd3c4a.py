from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'charts.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_hbar = l_0_histogram = missing
    try:
        t_1 = environment.filters['e']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'e' found.")
    pass
    def macro(l_1_chart, l_1_color):
        t_2 = []
        if l_1_chart is missing:
            l_1_chart = undefined("parameter 'chart' was not provided", name='chart')
        if l_1_color is missing:
            l_1_color = undefined("parameter 'color' was not provided", name='color')
        pass
        t_2.extend((
            '<svg class="chart" role="img" viewBox="0 0 ',
            str(environment.getattr(l_1_chart, 'width')),
            ' ',
            str(environment.getattr(l_1_chart, 'height')),
            '" width="100%" xmlns="http://www.w3.org/2000/svg">\n',
        ))
        for l_2_bar in environment.getattr(l_1_chart, 'bars'):
            _loop_vars = {}
            pass
            t_2.extend((
                '<text x="',
                str((environment.getattr(l_1_chart, 'label_w') - 6)),
                '" y="',
                str((environment.getattr(l_2_bar, 'y') + 13)),
                '" text-anchor="end" font-size="12">',
                str(t_1(environment.getattr(l_2_bar, 'label'))),
                '</text>\n<rect x="',
                str(environment.getattr(l_1_chart, 'label_w')),
                '" y="',
                str(environment.getattr(l_2_bar, 'y')),
                '" width="',
                str(environment.getattr(l_2_bar, 'w')),
                '" height="18" fill="',
                str(l_1_color),
                '"><title>',
                str(t_1(environment.getattr(l_2_bar, 'label'))),
                ': ',
                str(environment.getattr(l_2_bar, 'value')),
                '</title></rect>\n<text x="',
                str(((environment.getattr(l_1_chart, 'label_w') + environment.getattr(l_2_bar, 'w')) + 4)),
                '" y="',
                str((environment.getattr(l_2_bar, 'y') + 13)),
                '" font-size="12">',
                str(environment.getattr(l_2_bar, 'value')),
                '</text>\n',
            ))
        l_2_bar = missing
        t_2.append(
            '</svg>\n',
        )
        return concat(t_2)
    context.exported_vars.add('hbar')
    context.vars['hbar'] = l_0_hbar = Macro(environment, macro, 'hbar', ('chart', 'color'), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_chart, l_1_color, l_1_words):
        t_3 = []
        if l_1_chart is missing:
            l_1_chart = undefined("parameter 'chart' was not provided", name='chart')
        if l_1_color is missing:
            l_1_color = undefined("parameter 'color' was not provided", name='color')
        if l_1_words is missing:
            l_1_words = undefined("parameter 'words' was not provided", name='words')
        pass
        t_3.extend((
            '<svg class="chart" role="img" viewBox="0 0 ',
            str(environment.getattr(l_1_chart, 'width')),
            ' ',
            str(environment.getattr(l_1_chart, 'height')),
            '" width="100%" xmlns="http://www.w3.org/2000/svg">\n<line x1="',
            str(environment.getattr(l_1_chart, 'left')),
            '" y1="',
            str(environment.getattr(l_1_chart, 'base')),
            '" x2="',
            str((environment.getattr(l_1_chart, 'width') - 10)),
            '" y2="',
            str(environment.getattr(l_1_chart, 'base')),
            '" stroke="#888"/>\n<line x1="',
            str(environment.getattr(l_1_chart, 'left')),
            '" y1="',
            str(environment.getattr(l_1_chart, 'top')),
            '" x2="',
            str(environment.getattr(l_1_chart, 'left')),
            '" y2="',
            str(environment.getattr(l_1_chart, 'base')),
            '" stroke="#888"/>\n',
        ))
        for l_2_t in environment.getattr(l_1_chart, 'yticks'):
            _loop_vars = {}
            pass
            t_3.extend((
                '<line x1="',
                str((environment.getattr(l_1_chart, 'left') - 3)),
                '" y1="',
                str(environment.getattr(l_2_t, 'y')),
                '" x2="',
                str((environment.getattr(l_1_chart, 'width') - 10)),
                '" y2="',
                str(environment.getattr(l_2_t, 'y')),
                '" stroke="#eee"/>\n<text x="',
                str((environment.getattr(l_1_chart, 'left') - 5)),
                '" y="',
                str((environment.getattr(l_2_t, 'y') + 4)),
                '" text-anchor="end" font-size="11">',
                str(environment.getattr(l_2_t, 'label')),
                '</text>\n',
            ))
        l_2_t = missing
        for l_2_bar in environment.getattr(l_1_chart, 'bars'):
            _loop_vars = {}
            pass
            t_3.extend((
                '<rect x="',
                str(environment.getattr(l_2_bar, 'x')),
                '" y="',
                str(environment.getattr(l_2_bar, 'y')),
                '" width="',
                str(environment.getattr(l_2_bar, 'w')),
                '" height="',
                str(environment.getattr(l_2_bar, 'h')),
                '" fill="',
                str(l_1_color),
                '"><title>',
                str(environment.getattr(l_2_bar, 'label')),
                ': ',
                str(environment.getattr(l_2_bar, 'value')),
                '</title></rect>\n',
            ))
        l_2_bar = missing
        for l_2_tick in environment.getattr(l_1_chart, 'ticks'):
            _loop_vars = {}
            pass
            t_3.extend((
                '<text x="',
                str(environment.getattr(l_2_tick, 'x')),
                '" y="',
                str((environment.getattr(l_1_chart, 'base') + 14)),
                '" text-anchor="middle" font-size="11">',
                str(environment.getattr(l_2_tick, 'label')),
                '</text>\n',
            ))
        l_2_tick = missing
        t_3.extend((
            '<text x="',
            str(((environment.getattr(l_1_chart, 'left') + environment.getattr(l_1_chart, 'width')) / 2)),
            '" y="',
            str((environment.getattr(l_1_chart, 'height') - 4)),
            '" text-anchor="middle" font-size="11" fill="#555">',
            str(environment.getattr(l_1_words, 'x_axis')),
            '</text>\n<text x="12" y="',
            str(((environment.getattr(l_1_chart, 'top') + environment.getattr(l_1_chart, 'base')) / 2)),
            '" text-anchor="middle" font-size="11" fill="#555" transform="rotate(-90 12 ',
            str(((environment.getattr(l_1_chart, 'top') + environment.getattr(l_1_chart, 'base')) / 2)),
            ')">',
            str(environment.getattr(l_1_words, 'y_axis')),
            '</text>\n</svg>\n',
        ))
        return concat(t_3)
    context.exported_vars.add('histogram')
    context.vars['histogram'] = l_0_histogram = Macro(environment, macro, 'histogram', ('chart', 'color', 'words'), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '3=18&4=27&5=32&6=37&7=43&8=55&12=69&13=80&14=84&15=92&16=101&17=106&18=114&20=122&21=127&23=143&24=148&26=158&27=164'