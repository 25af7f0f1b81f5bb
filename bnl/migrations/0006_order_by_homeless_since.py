from django.db import migrations, models

from ces.roles import roles_sync


class Migration(migrations.Migration):
    """The list ordered by the date homelessness began; the frozen length is gone (kept in history)."""

    dependencies = [
        ('bnl', '0005_homeless_since'),
    ]

    operations = [
        migrations.AlterField(
            model_name='bnlentry',
            name='homeless_since',
            field=models.DateField(verbose_name='homeless since'),
        ),
        migrations.AlterField(
            model_name='historicalbnlentry',
            name='homeless_since',
            field=models.DateField(verbose_name='homeless since'),
        ),
        migrations.RemoveIndex(
            model_name='bnlentry',
            name='bnl_coc_active_order_idx',
        ),
        migrations.RemoveIndex(
            model_name='bnlentry',
            name='bnl_coc_open_order_idx',
        ),
        migrations.RemoveField(
            model_name='bnlentry',
            name='length_of_time_homeless_days',
        ),
        migrations.RemoveField(
            model_name='historicalbnlentry',
            name='length_of_time_homeless_days',
        ),
        migrations.AlterField(
            model_name='bnlentry',
            name='chronic',
            field=models.BooleanField(default=False, verbose_name='likely chronic (self-reported)'),
        ),
        migrations.AlterField(
            model_name='historicalbnlentry',
            name='chronic',
            field=models.BooleanField(default=False, verbose_name='likely chronic (self-reported)'),
        ),
        migrations.AddIndex(
            model_name='bnlentry',
            index=models.Index(models.OrderBy(models.F('score'), descending=True), models.F('homeless_since'), models.F('placed_on_list_at'), models.F('id'), condition=models.Q(('list_owner__isnull', True), ('status', 'active')), name='bnl_coc_active_order_v2_idx'),
        ),
        migrations.AddIndex(
            model_name='bnlentry',
            index=models.Index(models.OrderBy(models.F('score'), descending=True), models.F('homeless_since'), models.F('placed_on_list_at'), models.F('id'), condition=models.Q(('list_owner__isnull', True), ('status__in', ['active', 'on_referral', 'inactive'])), name='bnl_coc_open_order_v2_idx'),
        ),
        migrations.RunPython(roles_sync, migrations.RunPython.noop),
    ]
